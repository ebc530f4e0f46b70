"""What cases feed the hot topics (liaison/triage/hooks.py, `hotspot_items`): the verified
messages of the last 30 days, as ids, texts, category, place, station and supporters (附议) —
never a phone or a name. Rejected and withdrawn messages are no topic; merged ones still count
(the matter was raised)."""

from liaison.triage import hooks
from liaison.triage.clustering import Item

from .models import Case
from .workflow import Status


@hooks.hotspot_items.register
def messages(since):
    rows = (
        Case.objects.verified()
        .filter(created_at__gte=since)
        .exclude(status__in=[Status.REJECTED, Status.WITHDRAWN])
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "description",
            "category_id",
            "region_path",
            "station_id",
            "supporters",
            "created_at",
        )
    )
    for pk, title, description, category, region, station, supporters, created in rows.iterator(
        chunk_size=5000
    ):
        yield Item(pk, f"{title}\n{description}", category, region, station, supporters, created)
