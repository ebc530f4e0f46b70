"""Every change to the directory goes through here, and each one is in the audit trail.

One row at a time (the admin, the demo: `save_entry`, `set_active`, `set_deputy_photo`,
`set_deputy_stations`, `set_deputy_constituency`) or a whole validated roster at once (名册导入,
`import_entries`), the rows, photos and station seats are written here and nowhere else, with the
same audit verbs and data: `<model>.created` / `<model>.updated` with the changed `fields`,
`deputy.stations_changed` and `deputy.constituency_changed` with the ids `added` and `removed`.
The roster writer works in batches — a few queries per `BATCH` rows, not a few per row —
because the importer has already checked in bulk what `full_clean` would check one row at a time.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.utils import timezone

from liaison.core import audit, public_pages
from liaison.core.images import reencoded_upload
from liaison.core.models import AuditEvent

from .models import Deputy, GridCell, Region, Station, StationPosition

BATCH = 500


def _verb(obj: models.Model, action: str) -> str:
    return f"{obj._meta.model_name}.{action}"


def _saved_event(obj: models.Model, *, created: bool, fields, actor, **data) -> AuditEvent:
    """The event of a created or updated row: which fields the change set."""
    action = "created" if created else "updated"
    return audit.build(_verb(obj, action), actor=actor, obj=obj, fields=sorted(fields), **data)


def _chunks(values: Iterable, size: int = BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- one row ----------------------------------------------------------------------------------


@transaction.atomic
def save_entry(
    obj: models.Model, *, actor, changed_fields: list[str] | None = None
) -> models.Model:
    """Create or update one directory row (region, station, deputy, department, category)."""
    creating = obj.pk is None
    obj.full_clean()
    obj.save()
    _saved_event(obj, created=creating, fields=changed_fields or [], actor=actor).save()
    public_pages.changed()
    return obj


@transaction.atomic
def set_active(obj: models.Model, active: bool, *, actor) -> models.Model:
    """Deactivate instead of deleting: cases and records keep pointing at the row."""
    if obj.is_active != active:
        obj.is_active = active
        obj.save(update_fields=["is_active", "updated_at"])
        audit.record(_verb(obj, "activated" if active else "deactivated"), actor=actor, obj=obj)
        public_pages.changed()
    return obj


def _store_photo(deputy: Deputy, content: File) -> str:
    """Put a re-encoded JPEG in storage as the deputy's photo (the row is saved by the caller)."""
    deputy.photo.save(f"{deputy.public_code}.jpg", content, save=False)
    return deputy.photo.name


@transaction.atomic
def set_deputy_photo(deputy: Deputy, uploaded, *, actor) -> Deputy:
    """Store a checked, re-encoded photo (raises ValidationError for a bad one)."""
    photo = reencoded_upload(uploaded, name_stem=deputy.public_code)
    old = deputy.photo.name if deputy.photo else ""
    _store_photo(deputy, photo)
    deputy.save(update_fields=["photo", "updated_at"])
    audit.record(_verb(deputy, "photo_changed"), actor=actor, obj=deputy, previous=old)
    public_pages.changed()
    return deputy


def _seat_deputies(seats: Sequence[tuple[Deputy, Iterable]], *, actor) -> list[AuditEvent]:
    """Give each deputy exactly these stations (objects or ids); the events of those that moved.

    A few queries per `BATCH` deputies: their current seats are read, then the seats of the
    deputies whose stations change are replaced.
    """
    through = Deputy.stations.through
    before: dict[int, set[int]] = {}
    for chunk in _chunks(deputy.pk for deputy, _stations in seats):
        for deputy_id, station_id in through.objects.filter(deputy_id__in=chunk).values_list(
            "deputy_id", "station_id"
        ):
            before.setdefault(deputy_id, set()).add(station_id)
    moved = []
    for deputy, stations in seats:
        after = list(dict.fromkeys(getattr(s, "pk", s) for s in stations))
        if set(after) != before.get(deputy.pk, set()):
            moved.append((deputy, after))
    for chunk in _chunks(deputy.pk for deputy, _after in moved):
        through.objects.filter(deputy_id__in=chunk).delete()
    if moved:
        public_pages.changed()
    through.objects.bulk_create(
        [through(deputy_id=deputy.pk, station_id=s) for deputy, after in moved for s in after],
        batch_size=BATCH,
    )
    return [
        audit.build(
            _verb(deputy, "stations_changed"),
            actor=actor,
            obj=deputy,
            added=sorted(set(after) - before.get(deputy.pk, set())),
            removed=sorted(before.get(deputy.pk, set()) - set(after)),
        )
        for deputy, after in moved
    ]


@transaction.atomic
def set_deputy_stations(deputy: Deputy, stations, *, actor) -> Deputy:
    """The stations where the deputy receives people (recorded only when they change)."""
    for event in _seat_deputies([(deputy, stations)], actor=actor):
        event.save()
        # What stations.set() does: a prefetched list of the stations is out of date now.
        getattr(deputy, "_prefetched_objects_cache", {}).pop("stations", None)
    return deputy


@transaction.atomic
def set_deputy_constituency(deputy: Deputy, regions, *, actor) -> Deputy:
    """选区 — the regions whose residents the deputy represents (recorded only when they change).
    "Who is my deputy" finds the deputy from any address within them."""
    before = set(deputy.constituency_regions.values_list("pk", flat=True))
    after = {getattr(region, "pk", region) for region in regions}
    if after != before:
        deputy.constituency_regions.set(after)
        public_pages.changed()
        audit.record(
            _verb(deputy, "constituency_changed"),
            actor=actor,
            obj=deputy,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    return deputy


@transaction.atomic
def remove_station_position(position: StationPosition, *, actor) -> None:
    """站长/联络员 who left: the row goes (nothing points at it), the audit trail keeps it."""
    audit.record(
        "stationposition.removed",
        actor=actor,
        obj=position,
        station=position.station_id,
        kind=position.kind,
        name=position.name,
    )
    position.delete()
    public_pages.changed()


def set_grid_cell_deputies(cell, deputies, *, actor):
    """The deputies who look after a grid cell (recorded only when they change)."""
    before = set(cell.deputies.values_list("pk", flat=True))
    after = {deputy.pk for deputy in deputies}
    if before != after:
        cell.deputies.set(after)
        public_pages.changed()
        audit.record(
            "gridcell.deputies_changed",
            actor=actor,
            obj=cell,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    return cell


def _assign_cell_deputies(cells: Sequence[tuple], *, actor) -> list[AuditEvent]:
    """Give each grid cell exactly these deputies; the `gridcell.deputies_changed` events of the
    cells whose deputies change (as set_grid_cell_deputies records them), in bulk."""
    through = GridCell.deputies.through
    before: dict[int, set[int]] = {}
    for chunk in _chunks(cell.pk for cell, _deputies in cells):
        for cell_id, deputy_id in through.objects.filter(gridcell_id__in=chunk).values_list(
            "gridcell_id", "deputy_id"
        ):
            before.setdefault(cell_id, set()).add(deputy_id)
    moved = []
    for cell, deputies in cells:
        after = list(dict.fromkeys(d.pk for d in deputies))
        if set(after) != before.get(cell.pk, set()):
            moved.append((cell, after))
    for chunk in _chunks(cell.pk for cell, _after in moved):
        through.objects.filter(gridcell_id__in=chunk).delete()
    if moved:
        public_pages.changed()
    through.objects.bulk_create(
        [through(gridcell_id=cell.pk, deputy_id=d) for cell, after in moved for d in after],
        batch_size=BATCH,
    )
    return [
        audit.build(
            "gridcell.deputies_changed",
            actor=actor,
            obj=cell,
            added=sorted(set(after) - before.get(cell.pk, set())),
            removed=sorted(before.get(cell.pk, set()) - set(after)),
        )
        for cell, after in moved
    ]


# --- a whole roster ---------------------------------------------------------------------------


@dataclass
class EntryChange:
    """One row for `import_entries`, validated by the caller: a new unsaved object, or a stored
    one with the values of `changed` already set on it."""

    obj: models.Model
    changed: list[str]  # fields that differ; "stations" / "deputies" for the links (LINKS)
    stations: list[Station] | None = None  # deputies: all their stations, when the file says
    deputies: list[Deputy] | None = None  # grid cells: all their deputies, when the file says
    photo: Path | None = None  # deputies: a re-encoded JPEG waiting to be stored

    @property
    def is_new(self) -> bool:
        return self.obj.pk is None


LINKS = {"stations", "deputies"}  # many-to-many lists, written after the rows


def count_changes(entries: Sequence[EntryChange]) -> tuple[int, int, int]:
    """(created, updated, unchanged), as a roster's report and its audit event give them."""
    created = sum(e.is_new for e in entries)
    updated = sum(not e.is_new and bool(e.changed) for e in entries)
    return created, updated, len(entries) - created - updated


def _write_rows(model: type[models.Model], entries: Sequence[EntryChange]) -> None:
    """bulk_create the new rows and bulk_update the changed ones (neither calls save())."""
    new = [e.obj for e in entries if e.is_new]
    changed = [e for e in entries if not e.is_new and set(e.changed) - LINKS]
    if model is Region:
        # Parents first, level by level, so that each level's parents have their pk and path.
        for level in sorted({region.level for region in new}):
            batch = [region for region in new if region.level == level]
            for region in batch:
                # The same path Region.save() derives.
                parent = region.parent
                region.path = (parent.path if parent else "/") + f"{region.code}/"
            model.objects.bulk_create(batch, batch_size=BATCH)
    else:
        model.objects.bulk_create(new, batch_size=BATCH)

    if changed:
        now = timezone.now()
        fields = {f for e in changed for f in e.changed if f not in LINKS}
        for entry in changed:
            entry.obj.updated_at = now  # bulk_update does not apply auto_now
        model.objects.bulk_update(
            [e.obj for e in changed], [*sorted(fields), "updated_at"], batch_size=BATCH
        )


def import_entries(
    model: type[models.Model], entries: Sequence[EntryChange], *, actor, filename: str
) -> None:
    """名册导入 — write a validated roster of one model: every row, with its photo and stations,
    and its audit event, then one `directory.imported` event; everything or, on any error,
    nothing (the photos stored on the way are removed again).

    Raises IntegrityError when the directory changed since the rows were checked.
    """
    created, updated, unchanged = count_changes(entries)
    # Taken before the writes give the new rows their pk.
    fields_of = [(e.is_new, [f for f in e.changed if f not in LINKS]) for e in entries]
    stored, written = [], False
    try:
        with transaction.atomic():
            for entry in entries:
                if entry.photo is not None:
                    content = ContentFile(entry.photo.read_bytes())
                    stored.append(_store_photo(entry.obj, content))
            _write_rows(model, entries)
            events = [
                _saved_event(
                    e.obj, created=is_new, fields=fields, actor=actor, imported_from=filename
                )
                for e, (is_new, fields) in zip(entries, fields_of, strict=True)
                if is_new or fields
            ]
            events += _seat_deputies(
                [(e.obj, e.stations or []) for e in entries if "stations" in e.changed],
                actor=actor,
            )
            events += _assign_cell_deputies(
                [(e.obj, e.deputies or []) for e in entries if "deputies" in e.changed],
                actor=actor,
            )
            audit.record_many(events, batch_size=BATCH)
            audit.record(
                "directory.imported",
                actor=actor,
                kind=model._meta.model_name,
                filename=filename,
                created=created,
                updated=updated,
                unchanged=unchanged,
            )
            public_pages.changed()
        written = True
    finally:
        if not written:  # the rows are rolled back: so are the photo files
            for name in stored:
                Deputy._meta.get_field("photo").storage.delete(name)
