"""Every change to the directory goes through here, and each one is in the audit trail."""

from django.db import models, transaction

from liaison.core import audit
from liaison.core.images import reencoded_upload

from .models import Deputy


def _verb(obj: models.Model, action: str) -> str:
    return f"{obj._meta.model_name}.{action}"


@transaction.atomic
def save_entry(
    obj: models.Model, *, actor, changed_fields: list[str] | None = None
) -> models.Model:
    """Create or update one directory row (region, station, deputy, department, category)."""
    creating = obj.pk is None
    obj.full_clean()
    obj.save()
    audit.record(
        _verb(obj, "created" if creating else "updated"),
        actor=actor,
        obj=obj,
        fields=sorted(changed_fields or []),
    )
    return obj


@transaction.atomic
def set_active(obj: models.Model, active: bool, *, actor) -> models.Model:
    """Deactivate instead of deleting: cases and records keep pointing at the row."""
    if obj.is_active != active:
        obj.is_active = active
        obj.save(update_fields=["is_active", "updated_at"])
        audit.record(_verb(obj, "activated" if active else "deactivated"), actor=actor, obj=obj)
    return obj


@transaction.atomic
def set_deputy_photo(deputy: Deputy, uploaded, *, actor) -> Deputy:
    """Store a checked, re-encoded photo (raises ValidationError for a bad one)."""
    photo = reencoded_upload(uploaded, name_stem=deputy.public_code)
    old = deputy.photo.name if deputy.photo else ""
    deputy.photo.save(photo.name, photo, save=False)
    deputy.save(update_fields=["photo", "updated_at"])
    audit.record(_verb(deputy, "photo_changed"), actor=actor, obj=deputy, previous=old)
    return deputy


@transaction.atomic
def set_deputy_stations(deputy: Deputy, stations, *, actor) -> Deputy:
    before = set(deputy.stations.values_list("pk", flat=True))
    deputy.stations.set(stations)
    after = set(deputy.stations.values_list("pk", flat=True))
    if before != after:
        audit.record(
            _verb(deputy, "stations_changed"),
            actor=actor,
            obj=deputy,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    return deputy
