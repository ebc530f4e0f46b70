"""The permission table's rows for the legislative contact point (liaison/core/permissions.py).

The standing committee (committee staff whose region covers the draft's region) publishes the
draft and records adoption; the contact-point stations' staff collect and moderate opinions."""

from django.db.models import Q

from liaison.accounts.rules import Role, region_covers
from liaison.core.permissions import register

from .models import Comment, Draft

COMMITTEE, STATION = Role.COMMITTEE_STAFF, Role.STATION_STAFF


def _contact_point(path: str):
    return lambda user: Q(**{path: user.station_id})


_drafts = {
    COMMITTEE: region_covers("region_path"),
    STATION: _contact_point("stations__pk"),
}
register("draft.view", Draft, _drafts)
register(
    "draft.change",
    Draft,
    {COMMITTEE: region_covers("region_path")},
    doc="Create and edit a draft, import its text, open and close the comment period, send the "
    "opinion report and tell the contributors: the committee staff of the draft's region.",
)
register(
    "draft.enter_comments",
    Draft,
    _drafts,
    doc="Enter opinions gathered offline (座谈会, 走访) and download the opinion report: the "
    "draft's committee and the staff of its contact-point stations.",
)

_comments = {
    COMMITTEE: region_covers("draft__region_path"),
    STATION: _contact_point("draft__stations__pk"),
}
register("comment.view", Comment, _comments)
register(
    "comment.moderate",
    Comment,
    _comments,
    doc="Publish or hide a comment, tag it, merge identical ones: the draft's committee and the "
    "staff of its contact-point stations.",
)
register(
    "comment.adopt",
    Comment,
    {COMMITTEE: region_covers("draft__region_path")},
    doc="Record whether a comment was adopted, with the reason: the committee staff of the "
    "draft's region (the legislative body).",
)
