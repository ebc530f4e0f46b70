"""Every change to a consultation (docs/design.md, rule 1): each service, in one transaction,
asks the permission table (legislation/permissions.py), locks the row and checks the transition
(workflow.py), changes it with `save(update_fields=…)` and records the event (core.AuditEvent).

Errors: `TransitionRefused` / `ConcurrentChange`, `NotAllowed`, `ValidationError` with field
names, `importing.ImportProblems` (line by line); in every case nothing is written."""

from .comments import (
    adopt_comment,
    delete_unverified,
    enter_offline_comment,
    hide_comment,
    merge_comment,
    publish_comment,
    seconds_until_resend,
    send_comment_code,
    split_tags,
    submit_comment,
    submit_deputy_comment,
    tag_comment,
    tell_contributors,
    verify_comment,
)
from .drafts import close_draft, close_ended, import_text, open_draft, report_draft, save_draft

__all__ = [
    "adopt_comment",
    "close_draft",
    "close_ended",
    "delete_unverified",
    "enter_offline_comment",
    "hide_comment",
    "import_text",
    "merge_comment",
    "open_draft",
    "publish_comment",
    "report_draft",
    "save_draft",
    "seconds_until_resend",
    "send_comment_code",
    "split_tags",
    "submit_comment",
    "submit_deputy_comment",
    "tag_comment",
    "tell_contributors",
    "verify_comment",
]
