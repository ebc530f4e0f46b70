"""The visitors' personal data (docs/privacy.md, liaison/core/privacy.py) and its retention."""

from datetime import datetime

from liaison.core import privacy, registry

from .models import ReceptionGuest, Visit

privacy.declare(
    Visit,
    ["visitor_name", "visitor_phone", "visitor_address"],
    what="Visitor's name, phone and address (接待登记)",
    purpose="The reception register; the matters raised become cases with their own copy.",
    full="The name and address: who sees the visit (its station, the committee above it, "
    "administrators). The phone: staff of the visit's station, after “show” or on the printed "
    "sheet, logged (`visit.see_full_phone`).",
    masked="The phone, to committee staff and administrators.",
    hidden="Deputies, departments, public pages.",
    kept="LIAISON_RETENTION_DAYS after the visit; anonymised by the `core.retention` job.",
)
privacy.access_verbs("visit.phone_viewed")


privacy.declare(
    ReceptionGuest,
    ["name"],
    what="Name of an outside participant at a reception day (联合接待: officials, lawyers, "
    "procurators, residents' representatives)",
    purpose="The public schedule says who will be there.",
    full="Everybody (the station page's reception days), with the organisation.",
    kept="With the reception day's schedule; staff remove a guest.",
)


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    """Visits received before the cutoff day: their matters live on as cases, each with its own
    copy of the contact and its own retention."""
    count = privacy.blank_fields(
        Visit.objects.filter(received_on__lt=cutoff.date()),
        "visitor_name",
        "visitor_phone",
        "visitor_address",
    )
    return {"visits": count}
