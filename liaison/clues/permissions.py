"""The permission table's rows for clue transfers (liaison/core/permissions.py). The committee
staff of the region and the station's staff forward and record the feedback; nobody else."""

from liaison.accounts.rules import Role, at_station, region_covers
from liaison.core.permissions import register

from .models import ClueTransfer

_scopes = {
    Role.COMMITTEE_STAFF: region_covers("region_path"),
    Role.STATION_STAFF: at_station("station_id"),
}
register("cluetransfer.view", ClueTransfer, _scopes, doc="See the clues forwarded (线索移送).")
register(
    "cluetransfer.add",
    ClueTransfer,
    _scopes,
    doc="Forward a case or a suggestion the account may see to the procuratorate, with consent.",
)
register(
    "cluetransfer.record_feedback",
    ClueTransfer,
    _scopes,
    doc="Record the procuratorate's feedback (立案 or not) on a clue.",
)
