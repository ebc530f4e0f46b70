"""The two state machines of a consultation (docs/design.md, rule 2) — 法规草案征求意见.

A draft:   draft ─open─▶ open ─close─▶ closed ─report─▶ reported
             (edit, import: in draft only)   (adoption and telling contributors: closed, reported)

A comment: unverified ─verify─▶ pending ─publish─▶ published ◀─publish─ hidden
                                   └──────hide──────▶ hidden ◀──hide── published
           pending / published / hidden ─merge─▶ merged (its supporters counted on the other)
Tagging and recording the adoption are recorded actions that keep the status.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")  # 准备中
    OPEN = "open", _("Open for comment")  # 征求意见中
    CLOSED = "closed", _("Comment period closed")  # 征求意见已结束
    REPORTED = "reported", _("Opinion report sent")  # 已报送意见汇总


class DraftAction(models.TextChoices):
    EDIT = "edit", _("edit")
    IMPORT = "import", _("import the text")
    OPEN = "open", _("open for comment")
    CLOSE = "close", _("close the comment period")
    REPORT = "report", _("send the opinion report")
    COMMENT = "comment", _("comment")
    ENTER = "enter", _("enter opinions gathered offline")
    ADOPT = "adopt", _("record adoption")
    TELL = "tell", _("tell the contributors")


D, DA = DraftStatus, DraftAction

DRAFT_TRANSITIONS = {
    (D.DRAFT, DA.EDIT): D.DRAFT,
    (D.DRAFT, DA.IMPORT): D.DRAFT,
    (D.DRAFT, DA.OPEN): D.OPEN,
    (D.OPEN, DA.EDIT): D.OPEN,  # correct a typo in the title or the explanation, not the text
    (D.OPEN, DA.COMMENT): D.OPEN,
    (D.OPEN, DA.ENTER): D.OPEN,
    (D.CLOSED, DA.ENTER): D.CLOSED,  # a hearing's minutes may come in after the last day
    (D.OPEN, DA.CLOSE): D.CLOSED,
    (D.CLOSED, DA.REPORT): D.REPORTED,
    (D.CLOSED, DA.ADOPT): D.CLOSED,
    (D.REPORTED, DA.ADOPT): D.REPORTED,
    (D.CLOSED, DA.TELL): D.CLOSED,
    (D.REPORTED, DA.TELL): D.REPORTED,
}

DRAFT_MACHINE = StateMachine(
    status=DraftStatus,
    action=DraftAction,
    transitions=DRAFT_TRANSITIONS,
    refused_message=_("A draft that is “%(status)s” cannot be given the action “%(action)s”."),
    changed_message=_(
        "Someone else changed this draft in the meantime: it is now “%(status)s”. Please look "
        "at it again."
    ),
    # Not even "reported" is final: adoption is recorded, and told, after the report went up.
)


class CommentStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Phone not confirmed")  # 待验证
    PENDING = "pending", _("Awaiting moderation")  # 待审核
    PUBLISHED = "published", _("Published")  # 已公开
    HIDDEN = "hidden", _("Hidden")  # 不予公开
    MERGED = "merged", _("Merged into another comment")  # 已合并


class CommentAction(models.TextChoices):
    VERIFY = "verify", _("confirm the phone")
    PUBLISH = "publish", _("publish")
    HIDE = "hide", _("hide")
    MERGE = "merge", _("merge")
    TAG = "tag", _("tag")
    ADOPT = "adopt", _("record adoption")


C, CA = CommentStatus, CommentAction
MODERATED = (C.PENDING, C.PUBLISHED, C.HIDDEN)

COMMENT_TRANSITIONS = {
    (C.UNVERIFIED, CA.VERIFY): C.PENDING,
    (C.PENDING, CA.PUBLISH): C.PUBLISHED,
    (C.HIDDEN, CA.PUBLISH): C.PUBLISHED,
    (C.PENDING, CA.HIDE): C.HIDDEN,
    (C.PUBLISHED, CA.HIDE): C.HIDDEN,
    **{(status, CA.MERGE): C.MERGED for status in MODERATED},
    **{(status, CA.TAG): status for status in MODERATED},
    **{(status, CA.ADOPT): status for status in MODERATED},
}

COMMENT_MACHINE = StateMachine(
    status=CommentStatus,
    action=CommentAction,
    transitions=COMMENT_TRANSITIONS,
    refused_message=_("A comment that is “%(status)s” cannot be given the action “%(action)s”."),
    changed_message=_(
        "Someone else changed this comment in the meantime: it is now “%(status)s”. Please look "
        "at it again."
    ),
    final=frozenset({C.MERGED}),
)
