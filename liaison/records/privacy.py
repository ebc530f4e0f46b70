"""The deputies' records (docs/privacy.md, liaison/core/privacy.py)."""

from liaison.core import privacy

from .models import RecordPhoto

privacy.declare(
    RecordPhoto,
    ["image"],
    what="Evidence photos of a deputy's record entry (may show citizens)",
    purpose="Evidence of the deputies' work (履职记录).",
    full="Who sees the entry: the deputy, their stations' staff, the committee.",
    hidden="Public pages.",
    kept="With the record entry, as a record of the deputies' work.",
)
