"""The legislative contact point at scale: one draft of 200 articles with 100,000 comments (online
and offline, from 10 contact-point stations, most published, some merged), in PostgreSQL.

Builds (once, in its own database) a county with 10 stations, a committee and a station account,
the draft through the services (its text imported from 200 articles), then the comments with
set-based SQL: the first articles much busier than the rest, a tenth on the whole draft. Then it
times with Django's test client (no network) the public draft page, the busiest article's page
(first and last page of its opinions), the staff's comment list, and the consolidation — the
opinion report as .xlsx and .docx — and runs EXPLAIN on every query the pages made.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_legislation \\
        .venv/bin/python -W ignore bench/legislation_scale.py [--rebuild] [--repeat 10]

Figures are p50 / p95 over --repeat requests from one run; see bench/README.md.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_legislation"
)
import directory_scale
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from engagement_scale import measure, report, sql, user

from liaison.accounts.models import Role
from liaison.directory.models import Region, RegionLevel, Station, StationKind
from liaison.legislation import services
from liaison.legislation.importing import numeral
from liaison.legislation.models import Comment, Draft

ARTICLES, COMMENTS, STATIONS = 200, 100_000, 10
TABLES = ("legislation_comment", "legislation_article")


def build(comments: int) -> Draft:
    county = Region.objects.create(code="429900000000", name="基准区", level=RegionLevel.COUNTY)
    stations = [
        Station.objects.create(
            code=f"BENCH-{n}", name=f"基准街道{n}联络站", kind=StationKind.STATION, region=county
        )
        for n in range(STATIONS)
    ]
    committee = user("bench-committee", role=Role.COMMITTEE_STAFF, region=county)
    user("bench-station", role=Role.STATION_STAFF, station=stations[0])
    today = timezone.localdate()
    draft = services.save_draft(
        actor=committee,
        title="基准区物业管理条例（草案）",
        explanation="基准测试。",
        region=county,
        issuing_body="基准区人大常委会",
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=10),
        stations=stations,
    )
    lines = []
    for n in range(1, ARTICLES + 1):
        if n % 20 == 1:
            lines.append(f"第{numeral(n // 20 + 1)}章　第{n // 20 + 1}部分")
        lines.append(
            f"第{numeral(n)}条　物业服务人应当遵守本条例第{n}条的规定，" + "具体内容。" * 20
        )
    services.import_text(draft, actor=committee, lines=lines)
    draft = services.open_draft(draft, actor=committee)
    sql("SELECT setseed(0.2030)")
    sql(
        """
        WITH a AS (SELECT array_agg(id ORDER BY "order") AS ids FROM legislation_article
                   WHERE draft_id = %(draft)s),
        s AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_station),
        base AS (SELECT g, random() AS r, random() AS r2, random() AS r3
                 FROM generate_series(1, %(n)s) g)
        INSERT INTO legislation_comment (draft_id, article_id, text, source, offline_kind, people,
            station_id, entered_by_id, name, phone, phone_verified_at, language, consent, status,
            hidden_reason, tags, merged_into_id, supporters, adoption, adoption_reason, told_at,
            created_at)
        SELECT %(draft)s,
               CASE WHEN r < 0.1 THEN NULL
                    ELSE a.ids[1 + floor(power(r2, 3) * array_length(a.ids, 1))::int] END,
               '关于本条的意见，建议进一步明确责任主体和时限。（' || g || '）',
               CASE WHEN r3 < 0.8 THEN 'online' ELSE 'offline' END,
               CASE WHEN r3 < 0.8 THEN '' WHEN r3 < 0.9 THEN 'hearing' ELSE 'visit' END,
               CASE WHEN r3 < 0.8 THEN 1 ELSE 1 + floor(r * 20)::int END,
               CASE WHEN r3 < 0.8 THEN NULL
                    ELSE s.ids[1 + floor(r2 * array_length(s.ids, 1))::int] END,
               NULL, CASE WHEN r < 0.5 THEN '市民' || g ELSE '' END,
               CASE WHEN r3 < 0.8 THEN '139' || lpad(g::text, 8, '0') ELSE '' END,
               now(), 'zh-hans', r < 0.7,
               CASE WHEN r3 < 0.02 THEN 'unverified' WHEN r3 < 0.05 THEN 'hidden'
                    WHEN r3 < 0.25 THEN 'pending' ELSE 'published' END,
               '', '[]'::jsonb, NULL, 1 + floor(power(r, 8) * 50)::int, '', '', NULL,
               now() - (r2 * interval '20 days')
        FROM base, a, s
        """,
        {"draft": draft.pk, "n": comments},
    )
    sql("ANALYZE legislation_comment")
    return draft


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--comments", type=int, default=COMMENTS)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        sql("TRUNCATE legislation_draft RESTART IDENTITY CASCADE")
    draft = Draft.objects.first()
    if draft is None:
        start = time.perf_counter()
        draft = build(args.comments)
        print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    busiest = (
        Comment.objects.filter(draft=draft, article__isnull=False)
        .values_list("article__number", flat=True)
        .order_by("article__number")
        .first()
    )
    shown = Comment.objects.filter(draft=draft, article__number=busiest, status="published")
    last_page = max(1, -(-shown.filter(consent=True).count() // 20))
    print(
        f"draft {draft.pk}: {draft.articles.count()} articles, "
        f"{Comment.objects.filter(draft=draft).count():,} comments; article {busiest} has "
        f"{shown.count():,} published",
        flush=True,
    )
    public = Client()
    staff = Client()
    staff.force_login(user("bench-station"))
    base, desk = f"/legislation/{draft.pk}/", f"/staff/legislation/{draft.pk}/"
    article, many, few = f"{base}articles/{busiest}/", args.repeat, max(2, args.repeat // 5)
    pages = [
        ("citizen", "draft page (200 articles, top 3 each)", public, base, many),
        ("citizen", f"article {busiest}: first page", public, article, many),
        ("citizen", f"article {busiest}: last page", public, f"{article}?page={last_page}", many),
        ("citizen", "list of consultations", public, "/legislation/", many),
        ("station", "comments awaiting moderation", staff, f"{desk}comments/?status=pending", many),
        ("station", "opinion report .xlsx", staff, f"{desk}report.xlsx", few),
        ("station", "opinion report .docx", staff, f"{desk}report.docx", few),
    ]  # fmt: skip
    rows = [(who, what, measure(client, url, n)) for who, what, client, url, n in pages]
    report(rows, args.repeat, TABLES)


if __name__ == "__main__":
    main()
