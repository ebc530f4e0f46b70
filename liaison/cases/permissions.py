"""The permission table's rows for cases, their assignments and their configuration
(liaison/core/permissions.py; docs/design.md, rule 4). The services `require()` these rows, the
pages and the API ask `may()` to offer only what is allowed, and the lists `restrict()` by them."""

from django.db.models import Q

from liaison.accounts.rules import (
    Match,
    Role,
    at_station,
    is_deputy,
    of_department,
    region_covers,
)
from liaison.core.permissions import register
from liaison.directory.models import GridCell

from .models import ACTIVE_ASSIGNMENT_STATES, Assignment, Case, ReferralChannel, RoutingRule

COMMITTEE, STATION, DEPUTY, DEPARTMENT, GRID = (
    Role.COMMITTEE_STAFF,
    Role.STATION_STAFF,
    Role.DEPUTY,
    Role.DEPARTMENT_HANDLER,
    Role.GRID_WORKER,
)


def in_own_cell(path: str) -> Match:
    """A grid worker: the rows of the grid cell their account is for."""
    return Match(path, lambda user: user.grid_cell_id)


register(
    "case.view",
    Case,
    {
        COMMITTEE: region_covers("region_path"),
        STATION: at_station("station_id"),
        DEPUTY: is_deputy("deputy_id"),
        # Any assignment, also a returned or withdrawn one: the department keeps its history.
        DEPARTMENT: of_department("assignments__department_id"),
        # The cases a grid worker filed from their cell, to follow them for the resident.
        GRID: in_own_cell("grid_cell_id"),
    },
    doc="See the case. Who may take which step is decided by the rows below.",
)
register(
    "case.change",
    Case,
    {
        COMMITTEE: region_covers("region_path"),
        STATION: at_station("station_id"),
        DEPUTY: is_deputy("deputy_id"),
        DEPARTMENT: of_department("assignments__department_id"),
    },
)
# Seeing an assignment and changing it reach the same people; which workflow step each may take
# is narrowed by the rows below.
ASSIGNMENT_SCOPES = {
    COMMITTEE: region_covers("case__region_path"),
    STATION: at_station("case__station_id"),
    DEPUTY: is_deputy("case__deputy_id"),
    DEPARTMENT: of_department("department_id"),
}
register(
    "assignment.view",
    Assignment,
    ASSIGNMENT_SCOPES,
)
register(
    "assignment.change",
    Assignment,
    ASSIGNMENT_SCOPES,
)

# Who takes which step of the workflow (the services require these; the pages offer only the
# actions they allow). Departments act on their own assignment: see "assignment.handle".
register(
    "case.review",
    Case,
    {COMMITTEE: region_covers("region_path"), STATION: at_station("station_id")},
    doc="Review a message (accept, ask for more, merge, reject, refer), enter a supplement or a "
    "withdrawal for the citizen.",
)
register(
    "case.supervise",
    Case,
    {COMMITTEE: region_covers("region_path")},
    doc="Assign to departments, decide extensions, urge (催办) and supervise (督办).",
)
register(
    "case.release_co_handlers",
    Case,
    {COMMITTEE: region_covers("region_path")},
    doc="Stop waiting for co-handlers (协办) that have not reported, so that the lead "
    "department's report is no longer held.",
)
register(
    "case.speak_for_deputy",
    Case,
    {
        DEPUTY: is_deputy("deputy_id"),
        # A deputy who dictates by phone: staff of the case's station enter it on their behalf.
        STATION: at_station("station_id", deputy_id__isnull=False),
    },
    doc="Write the deputy's reply and answer: the case's deputy, or the case's station for them.",
    administrators=False,
)
register(
    "gridcell.file_case",
    GridCell,
    {GRID: in_own_cell("pk")},
    doc="File a case for a resident of the grid cell (网格员代为反映): the cell's grid worker.",
)
register(
    "case.enter",
    Case,
    {COMMITTEE: region_covers("region_path"), STATION: at_station("station_id")},
    doc="Register a visit, a phone call or a letter as a case (接待登记, 来电来信).",
)


def with_consent(user) -> Q:
    """A department's open assignment made with the citizen's consent to share their contact
    details with it (`assign_case(share_contact=True, consent=…)`, PIPL)."""
    return Q(
        assignments__department_id=user.department_id,
        assignments__contact_shared=True,
        assignments__state__in=ACTIVE_ASSIGNMENT_STATES,
    )


def with_consent_to_name(user) -> Q:
    """The same for the citizen's name: the consent may name one and not the other."""
    return Q(
        assignments__department_id=user.department_id,
        assignments__name_shared=True,
        assignments__state__in=ACTIVE_ASSIGNMENT_STATES,
    )


register(
    "case.see_full_phone",
    Case,
    {
        STATION: at_station("station_id"),
        DEPUTY: is_deputy("deputy_id", deputy_id__isnull=False),
        # Only with the citizen's consent to share it with the department (PIPL).
        DEPARTMENT: with_consent,
    },
    doc="See the citizen's full phone number: who must call back. Everyone else, administrators "
    "included, sees it masked; each full view is logged.",
    administrators=False,
)
register(
    "case.see_name",
    Case,
    {
        # A confidential citizen's name only for who calls back (the station, the deputy).
        COMMITTEE: region_covers("region_path", confidential=False),
        STATION: at_station("station_id"),
        DEPUTY: is_deputy("deputy_id"),
        # The name is the citizen's personal data: only with their consent to share it (PIPL).
        DEPARTMENT: with_consent_to_name,
    },
    doc="See the citizen's name: the station and the deputy; committee staff unless the citizen "
    "asked for confidentiality; a department only with the citizen's consent to share their "
    "personal data. Administrators see it in the admin unless it is confidential "
    "(cases/selectors.py may_see_name).",
    # Not the plain administrators' "everything": they see a confidential name nowhere.
    administrators=False,
)
register(
    "case.see_photos",
    Case,
    {
        COMMITTEE: region_covers("region_path"),
        STATION: at_station("station_id"),
        DEPUTY: is_deputy("deputy_id"),
        # The photos are the citizen's personal data like their name and phone: a department
        # sees them by the same consent as the full phone number (PIPL).
        DEPARTMENT: with_consent,
    },
    doc="See the citizen's photos (thumbnails and, logged, the originals): whoever sees the "
    "case, but a department only with the citizen's consent to share their personal data.",
)
register(
    "assignment.handle",
    Assignment,
    {DEPARTMENT: of_department("department_id")},
    doc="Act on the department's own assignment (承办): sign for it, return it, ask for an "
    "extension, report the result — as lead (主办) or co-handler (协办).",
    administrators=False,
)

# Configuration: administrators only (no role is named), through the admin.
register(
    "referralchannel.change",
    ReferralChannel,
    {},
    doc="Keep the channels a message can be referred to (引导: courts, 信访, 110…).",
)
register(
    "routingrule.change",
    RoutingRule,
    {},
    doc="Keep the routing rules (分办规则) that suggest the department for an assignment.",
)
register(
    "case.deliver_answer",
    Case,
    {COMMITTEE: region_covers("region_path"), STATION: at_station("station_id")},
    doc="Answer a citizen without a mobile: print the reply letter (with their name and address), "
    "record how the answer was delivered, enter the rating they gave by phone or return slip.",
    # The letter carries the citizen's name and address: only those who send it (PIPL).
    administrators=False,
)
