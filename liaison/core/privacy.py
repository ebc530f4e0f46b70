"""The life of personal data (PIPL): one table of every personal field, and the access log.

Each app declares its personal fields in its own `privacy.py` (found like `permissions.py`,
docs/design.md, rule 11), with the purpose, who sees it in full, masked or not at all, and how
long it is kept:

    privacy.declare(Case, ["citizen_phone"], what="Citizen's mobile", purpose=…, full=…,
                    masked=…, hidden=…, kept=privacy.KEPT_CASE)

`liaison privacy` prints the table; docs/privacy.md holds it between two markers (a test checks
it is current, another that every field that looks personal is declared or said not to be).

Who looked at a citizen's full contact details, original photos or printed letter is written to
the audit trail with the `Surface` it was shown on; the verbs that mean such a look are declared
here too (`access_verbs`), and the admin's "Personal data access" list shows exactly those.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from . import audit, registry
from .models import JobRun, PersonalDataAccess

# How long things are kept, in the words of the table (the settings are in README).
KEPT_CASE = (
    "Until the case is closed, then LIAISON_RETENTION_DAYS (default 3 years); anonymised by the "
    "`core.retention` job, or earlier at the citizen's request (/mine/)."
)
KEPT_BOOKING = (
    "Until the booking is over (received, cancelled, missed), then LIAISON_RETENTION_DAYS; "
    "anonymised by the `core.retention` job."
)


class Surface(models.TextChoices):
    """Where a person saw personal data in full (the `surface` of an access event)."""

    STAFF_PAGE = "staff_page", _("Staff page")
    STAFF_API = "staff_api", _("Staff API")
    REPLY_LETTER = "reply_letter", _("Reply letter (PDF)")
    VISIT_FORM = "visit_form", _("Visit registration form")
    VISIT_SHEET = "visit_sheet", _("Printed registration sheet")


@dataclass(frozen=True)
class PersonalField:
    model: type[models.Model]
    fields: tuple[str, ...]
    what: str
    purpose: str
    full: str  # who sees it in full
    masked: str  # who sees it masked
    hidden: str  # who does not see it at all
    kept: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{', '.join(self.fields)}"


TABLE: list[PersonalField] = []
# Fields that look personal by their name and are not a person's data: {"app.Model.field": why}.
NOT_PERSONAL: dict[str, str] = {}
ACCESS_VERBS: set[str] = set()


def declare(
    model: type[models.Model],
    fields: Iterable[str],
    *,
    what: str,
    purpose: str,
    full: str,
    masked: str = "—",
    hidden: str = "—",
    kept: str,
) -> PersonalField:
    fields = tuple(fields)
    for name in fields:
        model._meta.get_field(name)  # a misspelt field stops the start
    row = PersonalField(model, fields, what, purpose, full, masked, hidden, kept)
    if row not in TABLE:
        TABLE.append(row)
    return row


def not_personal(model: type[models.Model], field: str, why: str) -> None:
    model._meta.get_field(field)
    NOT_PERSONAL[f"{model._meta.label}.{field}"] = why


def access_verbs(*verbs: str) -> None:
    """Audit verbs that record a look at personal data in full (the access log shows them)."""
    ACCESS_VERBS.update(verbs)


def access_log():
    """Every look at personal data in full, newest first (the admin's access log)."""
    return PersonalDataAccess.objects.filter(verb__in=ACCESS_VERBS)


def autodiscover() -> None:
    """Import every installed app's `privacy` module (CoreConfig.ready does it)."""
    autodiscover_modules("privacy")


def declared_fields() -> set[str]:
    return {f"{row.model._meta.label}.{name}" for row in TABLE for name in row.fields}


def table_markdown() -> str:
    lines = [
        "| data | fields | purpose | in full | masked | not at all | kept |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    order = sorted(TABLE, key=lambda row: (row.model._meta.app_label, row.label))
    for row in order:
        fields = ", ".join(f"`{name}`" for name in row.fields)
        cells = [row.what, f"{row.model._meta.label}: {fields}", row.purpose]
        cells += [row.full, row.masked, row.hidden, row.kept]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    lines += ["", "Fields whose names look personal but are not a person's data:", ""]
    lines += [f"- `{name}`: {why}" for name, why in sorted(NOT_PERSONAL.items())]
    lines += ["", "Audit verbs of the personal-data access log:", ""]
    lines += [f"- `{verb}`" for verb in sorted(ACCESS_VERBS)]
    return "\n".join(lines) + "\n"


def blank_fields(rows: models.QuerySet, *fields: str) -> int:
    """Empty `fields` on the `rows` that still hold any of them (a retention function's usual
    work: the record stays for the figures, the person leaves it); how many rows changed."""
    holding = Q()
    for name in fields:
        holding |= ~Q(**{name: ""})
    return rows.filter(holding).update(**dict.fromkeys(fields, ""))


def apply_retention(now: datetime | None = None) -> dict[str, int] | None:
    """Anonymise what is older than LIAISON_RETENTION_DAYS (each app's `anonymise(cutoff)`),
    and write one audit event with the counts — never the data. None when the setting is 0."""
    days = settings.LIAISON_RETENTION_DAYS
    if not days:
        return None
    cutoff = (now or timezone.now()) - timedelta(days=days)
    counts: dict[str, int] = {}
    for anonymise in registry.retention.functions():
        for kind, count in anonymise(cutoff).items():
            counts[kind] = counts.get(kind, 0) + count
    audit.record("privacy.retention_applied", days=days, cutoff=cutoff.isoformat(), **counts)
    return counts


not_personal(JobRun, "name", "the name of a periodic job")
