"""The personal data of the legislative contact point (docs/privacy.md, liaison/core/privacy.py)."""

from datetime import datetime

from liaison.core import privacy, registry

from .models import Comment

privacy.declare(
    Comment,
    ["name", "phone"],
    what="Name and mobile of a citizen who commented on a draft regulation",
    purpose="Confirming the comment by SMS code; telling the contributor what became of it.",
    full="The name: everybody, only where the citizen agreed to publish it; otherwise nobody.",
    hidden="The phone: everybody (no page, report or export shows it).",
    kept="Until the consultation closed longer ago than LIAISON_RETENTION_DAYS; then the "
    '`core.retention` job removes both (the opinion stays, as "a citizen").',
)


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    count = privacy.blank_fields(
        Comment.objects.filter(draft__closes_on__lt=cutoff.date()), "name", "phone"
    )
    return {"draft comments": count}
