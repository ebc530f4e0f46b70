"""Demo data: the statistics of the demo district, counted from the events the other demos wrote
(last: every other demo comes first)."""

from liaison.core import registry

from . import deputies, rollup, work


@registry.demo.register(order=90)
def load_demo() -> dict[str, int]:
    return {
        "events_counted": rollup.update() + work.update(),
        "deputies_counted": deputies.refresh(),
    }
