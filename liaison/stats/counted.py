"""What the rollup counts (docs/statistics.md): the verbs counted as they are and the steps whose
timeliness is counted — one definition for the walk (rollup.py) and the set-based rebuild
(rebuild_sql.py)."""

from liaison.cases.models import Rating

MAX_BUCKET = 99  # steps that took longer are counted as 99 working days

# The steps whose timeliness is counted, and the setting that gives their working days where no
# deadline is stored with the step (sign and handle keep theirs on the assignment).
STEPS = ("review", "reply", "sign", "handle", "answer")
STEP_DAYS = {
    "review": "CASE_REVIEW_DAYS",
    "reply": "CASE_REPLY_DAYS",
    "answer": "CASE_ANSWER_DAYS",
}
SATISFIED = {Rating.SATISFIED, Rating.BASIC}

# Verbs counted as they are: verb → metric.
PLAIN = {
    "case.submitted": "received",
    "case.accepted": "accepted",
    "case.rejected": "rejected",
    "case.referred": "referred",
    "case.merged": "merged",
    "case.withdrawn": "withdrawn",
    "case.replied": "replied",
    "case.assigned": "assigned",
    "case.answered": "answered",
    "case.extension_requested": "extension_requested",
    "case.extension_approved": "extended",
    "case.auto_closed": "resolved",
    "case.urged": "urged",
    "case.supervised": "supervised",
    "case.supported": "supported",  # 附议 on the public case page
}
