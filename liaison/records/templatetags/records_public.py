"""`{% deputy_public_record deputy %}` — the public part of a deputy's record on the public deputy
page: counts for the current year, 三个一 progress, the cases the citizens agreed to show
(title and status only, never a name or a phone) and the deputy's registered suggestions of the
year (number, title, status; a link to the public suggestion page once answered)."""

from django import template

from liaison.cases import links
from liaison.records import record, three

register = template.Library()


@register.inclusion_tag("records/public/_deputy_record.html")
def deputy_public_record(deputy):
    year = three.today().year
    progress = three.progress(deputy, year, with_counts=True)
    return {
        "year": year,
        "figures": {
            "people_received": progress.people_received,
            "cases_answered": len(progress.cases_answered),
            "activities": progress.activities_attended,
        },
        "progress": progress,
        # Each with the key of its public page (cases/support.py), where citizens add support.
        "public_cases": [_with_key(case) for case in record.public_cases(deputy)],
        # Only registered (numbered) ones: drafts and those still with the committee stay private.
        "suggestions": record.deputy_suggestions(
            deputy, year, registered_only=True, newest_first=True
        ),
    }


def _with_key(case):
    case.public_key = links.public_key(case)
    return case
