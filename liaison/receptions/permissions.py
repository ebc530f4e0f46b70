"""The permission table's rows for reception days, duties and visits (core/permissions.py)."""

from liaison.accounts.rules import Role, at_station, is_deputy, region_covers
from liaison.core.permissions import register

from .models import Duty, ReceptionGuest, ReceptionRule, Visit

COMMITTEE, STATION, DEPUTY = Role.COMMITTEE_STAFF, Role.STATION_STAFF, Role.DEPUTY

# 接待日, 值班, 联合接待 and 接待登记: the station's own staff and the committee above it.
STATION_AND_COMMITTEE = {
    COMMITTEE: region_covers("station__region__path"),
    STATION: at_station("station_id"),
}
for model in (Visit, ReceptionRule, Duty, ReceptionGuest):
    name = model._meta.model_name
    if model is not Duty:
        register(f"{name}.view", model, STATION_AND_COMMITTEE)
    register(f"{name}.change", model, STATION_AND_COMMITTEE)
# A deputy sees their own duties.
register("duty.view", Duty, {**STATION_AND_COMMITTEE, DEPUTY: is_deputy("deputy_id")})
register(
    "visit.see_full_phone",
    Visit,
    {STATION: at_station("station_id")},
    doc="See the visitor's full phone: the visit's station calls back; everyone else sees it "
    "masked (PIPL), administrators included. Each full view is logged.",
    administrators=False,
)
