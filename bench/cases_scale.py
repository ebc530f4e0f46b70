"""Cases at province scale: intake throughput, staff queues and the tracking page over 1,000,000
cases in PostgreSQL.

Builds (once, in its own database) the province of bench/directory_scale.py (20,000 stations,
50,000 deputies) and then `--cases` cases (default 1,000,000) with COPY: realistic mixes of status,
channel, category, station (a few busy stations, many quiet ones), deputy and due date, and two
timeline events per case. Then it measures:

- intake: N messages through `services.submit_case` in one process (cases per second);
- the staff queue of a station staff member, a county committee member and a deputy: the
  pages under /staff/cases/ if they exist, otherwise the queue query itself (`queues.queue`, or
  `restrict(Case.objects.all(), user)` ordered by due date, first 25, plus the count);
- the citizen's tracking page (or its queries: the case by number, its public timeline);
- EXPLAIN of every queue query, listing any sequential scan of the case table.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_cases \\
        .venv/bin/python -W ignore bench/cases_scale.py [--rebuild] [--cases 1000000] \\
        [--repeat 30] [--submissions 500]

Figures are p50 / p95 over --repeat requests from one run; see bench/README.md.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_cases"
)
import directory_scale
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.cases import selectors, services
from liaison.cases.models import Case, CaseEvent, Channel, ReferralChannel
from liaison.cases.workflow import FINAL, Status
from liaison.core import partitions
from liaison.core.permissions import restrict
from liaison.directory import demo
from liaison.directory.models import Category, Deputy, Region, RegionLevel, Station

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 50_000

# Share of cases per status: most are long closed; the open ones are what the queues show.
STATUS_MIX = {
    Status.CLOSED: 56,
    Status.ANSWERED: 6,
    Status.IN_PROGRESS: 7,
    Status.ASSIGNED: 2,
    Status.FEEDBACK: 3,
    Status.TO_ASSIGN: 3,
    Status.ACCEPTED: 4,
    Status.SUBMITTED: 4,
    Status.NEEDS_INFO: 1,
    Status.REJECTED: 4,
    Status.REFERRED: 4,
    Status.MERGED: 3,
    Status.WITHDRAWN: 3,
}
CHANNEL_MIX = {Channel.ONLINE: 70, Channel.RECEPTION: 18, Channel.PHONE: 9, Channel.LETTER: 3}
TOPICS = [
    ("小区停车难，夜间车辆占用消防通道", "parking"),
    ("路灯不亮，晚上出行不安全", "street-lights"),
    ("老旧小区改造进度慢，外墙脱落", "housing-renovation"),
    ("幼儿园入学学位紧张", "education"),
    ("社保转移接续手续复杂", "social-insurance"),
    ("物业服务差，电梯经常停运", "property"),
    ("燃气管道老化，担心安全", "gas"),
    ("雨后路口积水严重", "water"),
    ("菜贩占道经营影响通行", "market-order"),
    ("社区养老助餐点太少", "elderly-care"),
    ("路面破损坑洼多", "roads"),
    ("垃圾清运不及时", "sanitation"),
]


def weighted(rng, mix):
    keys = list(mix)
    return rng.choices(keys, weights=[mix[k] for k in keys], k=1)[0]


def end_of_day(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI).replace(hour=23, minute=59, second=59, microsecond=999999)


def build_directory_extras():
    for sort_order, (code, name, name_en) in enumerate(demo.CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": sort_order}
        )


def case_rows(count, rng, now, stations, deputies_of, categories, first_number, tracking):
    """Yield one dict per case, by attribute name."""
    # Busy stations: a fifth of the stations get four fifths of the messages.
    busy = stations[: len(stations) // 5]
    for i in range(count):
        station_id, region_path = rng.choice(busy if rng.random() < 0.8 else stations)
        deputy_ids = deputies_of.get(station_id)
        status = weighted(rng, STATUS_MIX)
        title, category_code = rng.choice(TOPICS)
        final = status in FINAL
        # Open cases are recent; closed ones spread over two years.
        age = timedelta(days=rng.uniform(0, 30) if not final else rng.uniform(5, 730))
        created = now - age
        due_at = due_from = due_days = None
        if status not in (Status.NEEDS_INFO, Status.TO_ASSIGN) and not final:
            # About one open step in eight is overdue, one in six due within a day or so.
            due_at = end_of_day(now + timedelta(days=rng.choice(range(-4, 17))))
            due_from, due_days = created, 3
        yield {
            "tracking_number": str(tracking[i]),
            "status": status,
            "channel": weighted(rng, CHANNEL_MIX),
            "station_id": station_id,
            "region_path": region_path,
            "deputy_id": rng.choice(deputy_ids) if deputy_ids else None,
            "category_id": categories[category_code],
            "title": title,
            "description": f"{title}。具体位置：示范路{rng.randint(1, 999)}号附近，请尽快处理。",
            "location_text": f"示范路{rng.randint(1, 999)}号",
            "citizen_name": rng.choice(["陈女士", "王先生", "李阿姨", "张师傅", ""]),
            "citizen_phone": f"139{first_number + i:08d}"[:11],
            "privacy_accepted_at": created,
            "phone_verified_at": created,
            "language": "zh-hans",
            "merged_into_id": None,
            "referral_id": None,
            "rating": rng.choice(["satisfied", "satisfied", "basic", "unsatisfied"])
            if status == Status.CLOSED
            else "",
            "rated_at": created + timedelta(days=4) if status == Status.CLOSED else None,
            "due_at": due_at,
            "due_from": due_from,
            "due_days": due_days,
            "created_at": created,
            "updated_at": created,
            "closed_at": created + timedelta(days=4) if final else None,
        }


def copy_cases(count, rng):
    """COPY `count` cases in batches; merged and referred rows point at the first case / channel
    (the constraints need a target; the benchmark does not read them)."""
    now = timezone.now()
    stations = list(
        Station.objects.order_by("?").values_list("id", "region__path")
    )  # shuffled, so "busy" is a random fifth
    deputies_of = {}
    for deputy_id, station_id in Deputy.stations.through.objects.values_list(
        "deputy_id", "station_id"
    ):
        deputies_of.setdefault(station_id, []).append(deputy_id)
    categories = dict(Category.objects.values_list("code", "id"))
    referral_id = ReferralChannel.objects.values_list("id", flat=True).first()
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    anchors = []  # main cases that merged ones point at (see below)
    made = 0
    # Unique 10-digit numbers, none of them taken by cases built in an earlier run. (Read before
    # the COPY starts: the connection can run no other query while it copies.)
    taken = set(Case.objects.values_list("tracking_number", flat=True).iterator(chunk_size=50_000))
    tracking = [n for n in rng.sample(range(10**9, 10**10), count + 1000) if str(n) not in taken]
    rows = case_rows(
        count, rng, now, stations, deputies_of, categories, Case.objects.count(), tracking
    )
    raw = connection.connection
    last_id = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    while made < count:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
                for _ in range(min(BATCH, count - made)):
                    row = next(rows)
                    if row["status"] == Status.MERGED:
                        if anchors:
                            row["merged_into_id"] = rng.choice(anchors)
                        else:
                            row["status"] = Status.WITHDRAWN  # nothing to merge into yet
                    if row["status"] == Status.REFERRED:
                        row["referral_id"] = referral_id
                    copy.write_row(
                        [row[f.attname] if f.attname in row else f.get_default() for f in fields]
                    )
            raw.commit()
        made += min(BATCH, count - made)
        # 200 new main cases per batch of 50,000: ≈ 1,500 merged cases a batch spread over all
        # main cases so far, so a main case collects tens of merged ones, a few hundred at most.
        fresh = list(
            Case.objects.filter(id__gt=last_id)
            .exclude(status=Status.MERGED)
            .order_by("id")
            .values_list("id", flat=True)[:: max(1, BATCH // 200)]
        )
        anchors.extend(fresh)
        last_id = Case.objects.order_by("-id").values_list("id", flat=True).first()
        print(f"  {made:,} cases", flush=True)
    # Two events per case, set-based: the submission and the step that led to the status. They
    # carry no hash: like rows from before the audit chain, a case's chain starts at its next event.
    # On PostgreSQL the event table is partitioned by month: make the loaded months' partitions
    # first, or two years of events would pile up in the default partition.
    oldest = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    partitions.ensure_months("cases_caseevent", since=oldest)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, created_at, actor_label, verb, from_status, "
            "to_status, note, is_public, data, hash, prev_hash) SELECT id, created_at, '群众', "
            "'case.submitted', '', 'submitted', '', true, '{}', '', '' FROM cases_case"
        )
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, created_at, actor_label, verb, from_status, "
            "to_status, note, is_public, data, hash, prev_hash) SELECT id, COALESCE(closed_at, "
            "created_at + interval '1 day'), '系统', 'case.' || status, 'submitted', status, '', "
            "true, '{}', '', '' FROM cases_case WHERE status <> 'submitted'"
        )
        cursor.execute("ANALYZE")


def bench_users():
    """A station staff member of the busiest station, the committee of the busiest county, and
    the deputy with the most cases."""
    station_id = (
        Case.objects.values("station_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("station_id", flat=True)[0]
    )
    station = Station.objects.select_related("region").get(pk=station_id)
    county_code = station.region.path.strip("/").split("/")[2]
    county = Region.objects.get(code=county_code, level=RegionLevel.COUNTY)
    # The deputy with the most cases at that station; the busiest station may have no deputy
    # (cases to the station itself), then the busiest deputy of the county, then anywhere.
    deputy_id = None
    for scope in (
        {"station_id": station_id},
        {"region_path__startswith": f"{county.path}"},
        {},
    ):
        deputy_id = (
            Case.objects.filter(deputy__isnull=False, **scope)
            .values("deputy_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("deputy_id", flat=True)
            .first()
        )
        if deputy_id:
            break
    users = {}
    for username, fields in [
        ("bench_station", {"role": Role.STATION_STAFF, "station": station}),
        ("bench_county", {"role": Role.COMMITTEE_STAFF, "region": county}),
        ("bench_deputy", {"role": Role.DEPUTY, "deputy_id": deputy_id}),
    ]:
        # Kept between runs (../shared/bench logs in as them); re-pointed when the data changed.
        user, _ = User.objects.update_or_create(
            username=username, defaults={"is_staff": True, **fields}
        )
        users[username] = user
    return users


def percentiles(samples):
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def timed(func, repeat):
    func()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def page_exists(url):
    try:
        resolve(url)
        return True
    except (Resolver404, NoReverseMatch):
        return False


def page_works(client, url):
    """The pages may still be under construction: measure the queries when one fails."""
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    status = client.get(url).status_code
    if status != 200:
        print(f"({url} answered {status}: measuring the queries instead)")
    return status == 200


def queue_measures(user):
    """(label, callable) pairs for the user's queue: the page if it exists, else its queries."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if page_exists("/staff/cases/") and page_works(client, "/staff/cases/"):

        def get(url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        return "page", [
            ("GET /staff/cases/", get("/staff/cases/")),
            ("GET overdue tab", get("/staff/cases/?tab=overdue&sort=due")),
            ("GET status=in_progress, newest", get("/staff/cases/?status=in_progress&sort=newest")),
        ]
    try:
        from liaison.cases import queues
    except ImportError:
        queues = None
    if queues is not None:

        def tab(**query):
            def run():
                cases = queues.queue(user, queues.Query(**query))
                list(cases[:25])
                cases.count()

            return run

        return "queues.queue", [
            ("my open cases, by due date", tab()),
            ("overdue", tab(tab="overdue")),
            ("in progress, newest", tab(status="in_progress", sort="newest")),
        ]

    def plain():
        cases = restrict(Case.objects.all(), user).order_by("due_at")
        list(cases[:25])
        cases.count()

    return "restrict()", [("restrict(...).order_by('due_at')[:25] + count", plain)]


def tracking_measure(case, phone_digits):
    """The citizen's tracking page once unlocked with the phone's last 4 digits (one POST, then
    the GETs that are timed), or its queries when the page does not work yet."""
    url = f"/t/{case.tracking_number}"
    client = Client(raise_request_exception=False)
    if page_exists(url):
        client.post(url, {"action": "last4", "last4": phone_digits})
        if page_works(client, url):

            def get():
                assert client.get(url).status_code == 200

            return f"GET {url[:3]}<number> (unlocked)", get

    def run():
        found = Case.objects.select_related("station", "deputy", "category").get(
            tracking_number=case.tracking_number
        )
        selectors.timeline(found, public=True)
        selectors.merged_count(found)

    return "selector: case by number + public timeline + merged count", run


def sequential_scans(funcs):
    found = []
    for label, func in funcs:
        with CaptureQueriesContext(connection) as queries:
            func()
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in ("cases_case", "cases_caseevent"):
                if f"Seq Scan on {table} " in plan + " ":
                    found.append((label, table, sql[:200], plan))
    return found


def intake(n, rng):
    pairs = list(Deputy.stations.through.objects.values_list("station_id", "deputy_id")[:5000])
    stations = Station.objects.in_bulk([s for s, _ in pairs])
    deputies = Deputy.objects.in_bulk([d for _, d in pairs])
    categories = list(Category.objects.all())
    start = time.perf_counter()
    for i in range(n):
        station_id, deputy_id = rng.choice(pairs)
        title, _code = rng.choice(TOPICS)
        services.submit_case(
            channel=Channel.ONLINE,
            station=stations[station_id],
            deputy=deputies[deputy_id],
            category=rng.choice(categories),
            title=title,
            description=f"{title}，已经持续一个多月，希望代表帮忙反映。",
            citizen_phone=f"1370000{i % 10000:04d}",
            privacy_accepted=True,
            language="zh-hans",
        )
    return n / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--submissions", type=int, default=500)
    args = parser.parse_args()
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(2026 + Case.objects.count())
    if args.rebuild:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE cases_caseevent, cases_assignment, cases_case, "
                "notifications_notification RESTART IDENTITY CASCADE"
            )
    if not Station.objects.exists():
        start = time.perf_counter()
        directory_scale.build()
        print(f"built directory in {time.perf_counter() - start:.0f} s", flush=True)
    build_directory_extras()
    have = Case.objects.count()
    if have < args.cases:
        start = time.perf_counter()
        copy_cases(args.cases - have, rng)
        print(f"built {args.cases - have:,} cases in {time.perf_counter() - start:.0f} s")
    total = Case.objects.count()
    events = CaseEvent.objects.count()
    open_cases = Case.objects.open().count()
    most_merged = (
        Case.objects.filter(merged_into__isnull=False)
        .values("merged_into_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    url = os.environ["BENCH_DATABASE_URL"]
    print(f"command: BENCH_DATABASE_URL={url} python -W ignore {' '.join(sys.argv)}")
    print(
        f"cases {total:,} ({open_cases:,} open), events {events:,}, at most {most_merged or 0} "
        f"merged into one case; {args.repeat} runs each\n"
    )

    rate = intake(args.submissions, rng)
    print(f"intake: {args.submissions} × services.submit_case: {rate:.0f} cases/s\n")

    users = bench_users()
    print(f"{'who':<14} {'what':<52} {'p50 ms':>8} {'p95 ms':>8}")
    measured = []
    for username, user in users.items():
        kind, funcs = queue_measures(user)
        for label, func in funcs:
            p50, p95 = timed(func, args.repeat)
            print(f"{username:<14} {label[:52]:<52} {p50:>8.1f} {p95:>8.1f}")
            measured.append((f"{username}: {label}", func))
    print(f"(queue measured as: {kind})")
    case = Case.objects.filter(status=Status.IN_PROGRESS).order_by("id")[total // 3 // 7]
    label, func = tracking_measure(case, case.citizen_phone[-4:])
    p50, p95 = timed(func, args.repeat)
    print(f"{'citizen':<14} {label[:52]:<52} {p50:>8.1f} {p95:>8.1f}\n")
    measured.append(("tracking", func))

    print("sequential scans on cases_case / cases_caseevent in those queries:")
    scans = sequential_scans(measured)
    for label, table, sql, plan in scans:
        print(f"- {label}: Seq Scan on {table}\n    {sql}\n" + plan)
    if not scans:
        print("none")


if __name__ == "__main__":
    main()
