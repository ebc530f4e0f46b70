"""`liaison load_demo`: the fictional district of liaison/directory/demo.py, one account per role.

Idempotent by code: rows that exist are left as they are (an administrator may have edited them),
missing ones are created, so a second run creates nothing and a half-loaded database is completed.
Directory rows go through the directory services, so each is in the audit trail; the run as a
whole is recorded once as `demo.loaded`.
"""

import colorsys
import hashlib
import io
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw

from liaison.accounts.models import Role, User
from liaison.activities import demo as activities_demo
from liaison.cases import demo as cases_demo
from liaison.core import audit
from liaison.directory import demo, services
from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.receptions import demo as receptions_demo
from liaison.receptions import demo_appointments
from liaison.records import demo as records_demo
from liaison.suggestions import demo as suggestions_demo


def portrait_png(seed: str) -> bytes:
    """A plain placeholder portrait: a soft coloured background and a head-and-shoulders
    silhouette, its colours derived from `seed` so that every deputy looks a little different."""
    digest = hashlib.sha256(seed.encode()).digest()
    # Light, ID-photo-like backgrounds (blues and greys, a few warmer ones) and a dark jacket.
    background = _rgb(0.55 + (digest[0] - 128) / 900, 0.87, 0.18 + digest[1] / 1200)
    jacket = _rgb(0.6 + digest[2] / 2550, 0.24 + digest[3] / 2550, 0.25)
    hair = _rgb(0.07, 0.10 + digest[4] / 2550, 0.15)
    skin = (226, 200, 174)
    image = Image.new("RGB", (240, 320), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((28, 222, 212, 420), fill=jacket)  # shoulders
    draw.polygon([(102, 226), (138, 226), (120, 268)], fill=(246, 246, 246))  # shirt collar
    draw.rectangle((106, 176, 134, 230), fill=skin)  # neck
    draw.ellipse((70, 70, 170, 178), fill=hair)  # hair, seen around the top of the face
    draw.ellipse((78, 92, 162, 202), fill=skin)  # face
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _rgb(hue: float, lightness: float, saturation: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


class Command(BaseCommand):
    help = "Load the demo district, its stations, deputies and one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG and LIAISON_DEMO are off (never on a real site).",
        )

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or settings.DEMO_MODE or force):
            raise CommandError(
                "Refusing to load demo data: DEBUG and LIAISON_DEMO are both off, so this looks "
                "like a production site. Demo accounts have a published password. Set "
                "LIAISON_DEMO=1 for a demo site, or pass --force if you are sure."
            )
        with transaction.atomic():
            created = self.load()
            # Cases in every state of the workflow, driven through the case services.
            created["cases"] = cases_demo.load()
            created["suggestions"] = suggestions_demo.load()
            created["activities"] = activities_demo.load()  # a year of activities, 2026
            # A term year of reception days, duties, attendance and visits (liaison/receptions).
            created.update(receptions_demo.load())
            created["appointments"] = demo_appointments.load()  # 线上预约
            created["record_entries"] = records_demo.load()  # 2026 diaries (liaison/records)
            if any(created.values()):
                audit.record("demo.loaded", **created)
        self.report(created)

    def load(self) -> dict[str, int]:
        created = dict.fromkeys(
            ["regions", "stations", "deputies", "photos", "departments", "categories", "accounts"],
            0,
        )

        regions = {r.code: r for r in Region.objects.filter(code__in=[r[0] for r in demo.REGIONS])}
        for code, name, level, parent_code in demo.REGIONS:
            if code not in regions:
                region = Region(code=code, name=name, level=level, parent=regions.get(parent_code))
                regions[code] = services.save_entry(region, actor=None)
                created["regions"] += 1

        stations = {
            s.code: s for s in Station.objects.filter(code__in=[s[0] for s in demo.STATIONS])
        }
        for code, name, kind, region, address, lat, lng, hours, days, phone in demo.STATIONS:
            if code in stations:
                continue
            station = Station(
                code=code,
                name=name,
                kind=kind,
                region=regions[region],
                address=address,
                latitude=Decimal(lat) if lat else None,
                longitude=Decimal(lng) if lng else None,
                opening_hours=hours,
                reception_days=days,
                phone=phone,
                rules=demo.STATION_RULES,
                process=demo.ONLINE_PROCESS if kind == "online" else demo.STATION_PROCESS,
            )
            stations[code] = services.save_entry(station, actor=None)
            created["stations"] += 1

        deputies = {
            d.code: d for d in Deputy.objects.filter(code__in=[d[0] for d in demo.DEPUTIES])
        }
        for number, row in enumerate(demo.DEPUTIES, start=1):
            code, name, level, region, constituency, blocks, occupation, bio, station_codes = row
            deputy = deputies.get(code)
            if deputy is None:
                deputy = Deputy(
                    code=code,
                    name=name,
                    level=level,
                    term=demo.TERMS[level],
                    region=regions[region],
                    constituency=constituency,
                    contact_blocks="\n".join(blocks),
                    public_phone=f"1390000{number:04d}",
                    occupation=occupation,
                    bio=bio,
                )
                deputies[code] = services.save_entry(deputy, actor=None)
                services.set_deputy_stations(
                    deputy, [stations[c] for c in station_codes], actor=None
                )
                created["deputies"] += 1
            if not deputy.photo:
                upload = ContentFile(portrait_png(code), name=f"{code}.png")
                services.set_deputy_photo(deputy, upload, actor=None)
                created["photos"] += 1

        departments = set(
            Department.objects.filter(code__in=[d[0] for d in demo.DEPARTMENTS]).values_list(
                "code", flat=True
            )
        )
        for code, name, region, level, phone in demo.DEPARTMENTS:
            if code not in departments:
                department = Department(
                    code=code, name=name, region=regions[region], level=level, phone=phone
                )
                services.save_entry(department, actor=None)
                created["departments"] += 1

        categories = set(Category.objects.values_list("code", flat=True))
        for sort_order, (code, name, name_en) in enumerate(demo.CATEGORIES, start=1):
            if code not in categories:
                category = Category(code=code, name=name, name_en=name_en, sort_order=sort_order)
                services.save_entry(category, actor=None)
                created["categories"] += 1

        existing_users = set(User.objects.values_list("username", flat=True))
        for username, role, full_name, scope in demo.ACCOUNTS:
            if username in existing_users:
                continue
            user = User(
                username=username,
                role=role,
                full_name=full_name,
                is_staff=True,
                is_superuser=role == Role.ADMINISTRATOR,
                region=regions.get(scope) if role == Role.COMMITTEE_STAFF else None,
                station=stations.get(scope) if role == Role.STATION_STAFF else None,
                department=(
                    Department.objects.get(code=scope) if role == Role.DEPARTMENT_HANDLER else None
                ),
                deputy=deputies.get(scope) if role == Role.DEPUTY else None,
            )
            user.set_password(demo.PASSWORD)
            user.save()
            created["accounts"] += 1
        return created

    def report(self, created: dict[str, int]) -> None:
        if any(created.values()):
            summary = ", ".join(f"{count} {what}" for what, count in created.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        else:
            self.stdout.write("Demo data already loaded: nothing new.")
        usernames = [row[0] for row in demo.ACCOUNTS]
        accounts = {
            u.username: u
            for u in User.objects.filter(username__in=usernames).select_related(
                "region", "station", "department", "deputy"
            )
        }
        rows = [
            (u.username, u.get_role_display(), u.scope_label or "—")
            for u in (accounts.get(name) for name in usernames)
            if u is not None
        ]
        self.stdout.write(f"\nDemo logins at {settings.SITE_URL}/accounts/login/")
        # Role and scope come last: Chinese text is double width and would break the columns.
        self.stdout.write(f"  {'username':<12}{'password':<14}role · scope")
        for username, role, scope in rows:
            self.stdout.write(f"  {username:<12}{demo.PASSWORD:<14}{role} · {scope}")
