"""Extension points: where a lower part asks the apps above it (docs/design.md, rule 11).

Apps only import downwards, yet a few lower places need the higher apps: `load_demo` loads every
app's demo data, the staff workspace lists every app's work, the public station page shows what
other apps know about the station. Each such place owns a `Hook`; an app above registers a function
with it in the module the hook names, which the hook imports from every installed app the first
time it is asked (like `jobs.py` and `permissions.py`):

    # liaison/receptions/demo.py
    @registry.demo.register(order=40)
    def load() -> dict[str, int]: ...

    # liaison/accounts/management/commands/load_demo.py
    for load in registry.demo.functions(): created.update(load())

Functions run in `order`, then in the layer order of their apps, then by name, so the result does
not depend on import order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from .layers import LAYERS


@dataclass(order=True)
class _Entry:
    order: int
    layer: int
    name: str
    func: Callable = field(compare=False)


class Hook:
    def __init__(self, name: str, module: str, doc: str = ""):
        self.name = name
        self.module = module  # the module of each app that registers with this hook
        self.__doc__ = doc
        self._entries: dict[str, _Entry] = {}
        self._discovered = False

    def register(self, func: Callable | None = None, *, order: int = 0):
        def add(func: Callable) -> Callable:
            name = f"{func.__module__}.{func.__qualname__}"
            app = func.__module__.split(".")[1] if func.__module__.startswith("liaison.") else ""
            layer = LAYERS.index(app) if app in LAYERS else len(LAYERS)
            self._entries[name] = _Entry(order, layer, name, func)
            return func

        return add(func) if func is not None else add

    def functions(self) -> list[Callable]:
        if not self._discovered:
            autodiscover_modules(self.module)
            self._discovered = True
        return [entry.func for entry in sorted(self._entries.values())]


demo = Hook(
    "demo",
    "demo",
    "Demo data: `load() -> dict[str, int]` (what was created, by kind); idempotent.",
)
workspace = Hook(
    "workspace",
    "workspace",
    "The staff workspace: `items(user, today, now) -> list[WorkItem]` for the account.",
)
station_page = Hook(
    "station_page",
    "station_page",
    "The public station page: `context(station) -> dict`, merged into the page's context.",
)
# "Who is my deputy" (directory/finder.py) shows each station's next reception days, asked once
# for a page of stations: `upcoming(stations) -> {station_id: [Occurrence]}`.
station_receptions = Hook(
    "station_receptions", "station_page", "`upcoming(stations) -> {station_id: [Occurrence]}`."
)
# The visit registration form (接待登记) of liaison/receptions: a higher app may prefill it
# (`prefill(request) -> (initial, matters) | None`) and hear of the registered visit
# (`registered(request, visit)`).
visit_prefill = Hook(
    "visit_prefill", "visit_form", "`prefill(request) -> (initial, matters) | None`."
)
visit_registered = Hook("visit_registered", "visit_form", "`registered(request, visit)`.")
# Notices (docs/notifications.md): every recorded event is offered to each app's `notices.py`
# (`notify(aggregate, event)`), which decides who is told, in the event's transaction.
notices = Hook("notices", "notices", "`notify(aggregate, event)` after each `record_event`.")
# "My messages and bookings" (liaison/cases/mine.py): once a citizen proved a phone by SMS code,
# each app above lists what it holds under that number and opens it for this browser.
citizen_records = Hook(
    "citizen_records",
    "citizen_records",
    "`find(request, phone, *, unlock) -> list[dict]` with `kind`, `number`, `title`, `status`, "
    "`date`, `url`; with `unlock` also opens each for the browser's session.",
)

# `liaison audit verify --case/--region` (core/chain.py): an app with a timeline answers which of
# its event rows an option names (`scope(option, value) -> {EventModel: queryset}`, {} when the
# option is not its own), or raises LookupError when the value names nothing.
audit_scope = Hook("audit_scope", "chains", "`scope(option, value) -> {model: queryset}`.")
# The retention job (core/privacy.py apply_retention): each app anonymises what it holds about
# people once it is older than the cutoff and finished, and says how many rows it changed.
retention = Hook(
    "retention",
    "privacy",
    "`anonymise(cutoff: datetime) -> dict[str, int]`: rows anonymised or deleted, by kind.",
)
