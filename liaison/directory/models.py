"""The directory: regions, stations, deputies, departments and case categories.

Everything else in Liaison hangs on these rows, so they are never deleted once used: they are
deactivated (`is_active`) instead.
"""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from liaison.core import geo
from liaison.core.models import TimeStampedModel
from liaison.core.phones import validate_public_phone

# Crockford-like alphabet without look-alikes (0/o, 1/l/i), lower case: easy to read out and type.
PUBLIC_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_CODE_LENGTH = 8  # 31**8 ≈ 8.5e11: unguessable, still short enough for a QR code and a URL


def new_public_code() -> str:
    return "".join(secrets.choice(PUBLIC_CODE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County / district")
    TOWNSHIP = 4, _("Township / street")
    COMMUNITY = 5, _("Community / village")


class RegionQuerySet(models.QuerySet):
    def subtree(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it, by materialized path (one indexed range scan)."""
        return self.filter(path__startswith=region.path)


def path_prefixes(path: str) -> list[str]:
    """A region path and the paths of the regions above it, from the root down:
    "/33/3301/330106/" → ["/33/", "/33/3301/", "/33/3301/330106/"]."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


class Region(TimeStampedModel):
    """行政区划 — an administrative region with its official statistical code (统计用区划代码)."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/33/3301/330106/" — codes from the root down; subtree queries are prefix matches.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # "Who is my deputy" looks an address up by the start of its name; the pattern
            # operator class lets PostgreSQL answer LIKE 'x%' from the index in any collation.
            models.Index(
                fields=["name"], name="region_name_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived data, kept in step with the parent on every save.
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def ancestors(self) -> models.QuerySet["Region"]:
        codes = [c for c in self.path.strip("/").split("/") if c]
        return Region.objects.filter(code__in=codes).order_by("level")

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.level >= RegionLevel.COUNTY)

    def prefix_address(self, address: str) -> str:
        """The address with the region chain in front (西湖区北山街道 + 北山路45号), unless the
        address already starts with a part of it, as addresses copied from rosters often do."""
        regions = [r for r in self.ancestors() if r.level >= RegionLevel.COUNTY]
        if any(address.startswith(r.name) for r in regions):
            return address
        return "".join(r.name for r in regions) + address


class StationKind(models.TextChoices):
    STATION = "station", _("Liaison station")  # 联络站 (township / street)
    ROOM = "room", _("Liaison room")  # 联络室 (village / community)
    HOME = "home", _("Deputies' home")  # 代表之家, a venue (not a deputy's private home)
    BUILDING = "building", _("Building liaison station")  # 楼宇联络站
    ONLINE = "online", _("Online liaison station")  # 网上联络站


class CoordinateSystem(models.TextChoices):
    """Which map a position was read from (liaison/core/geo.py): a GPS or Tianditu position is
    WGS-84, one picked on AMap or Tencent Maps is GCJ-02, a few hundred metres apart."""

    WGS84 = geo.WGS84, _("WGS-84 (GPS, Tianditu)")
    GCJ02 = geo.GCJ02, _("GCJ-02 (AMap, Tencent Maps)")


class PublicCodeMixin(models.Model):
    """A short, unguessable and permanent code: the URL its QR code encodes never changes."""

    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, editable=False, default=new_public_code
    )

    class Meta:
        abstract = True


class Station(PublicCodeMixin, TimeStampedModel):
    """联络站/联络室/代表之家 — a place (or an online space) where deputies meet the people."""

    code = models.CharField(_("station number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=StationKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coordinate_system = models.CharField(
        _("coordinate system"),
        max_length=8,
        choices=CoordinateSystem.choices,
        default=CoordinateSystem.WGS84,
        help_text=_("The map the latitude and longitude were read from."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    reception_days = models.CharField(
        _("reception days"),
        max_length=200,
        blank=True,
        help_text=_("e.g. every Monday and the 15th of each month"),
    )
    phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_public_phone]
    )
    rules = models.TextField(_("rules"), blank=True)
    process = models.TextField(_("how a matter is handled"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["region__path", "name"]
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["is_active", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="station_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:station", args=[self.public_code])

    def position(self, system: str = geo.WGS84) -> tuple[float, float] | None:
        """(latitude, longitude) in `system`, converted from the one it was stored in."""
        if self.latitude is None or self.longitude is None:
            return None
        lat, lng = float(self.latitude), float(self.longitude)
        return geo.convert(lat, lng, self.coordinate_system, system)


class PositionKind(models.TextChoices):
    HEAD = "head", _("Station head")  # 站长
    LIAISON_OFFICER = "liaison", _("Liaison officer")  # 联络员


class StationPosition(TimeStampedModel):
    """站长 / 联络员 — who runs the station, shown on its public page with a public contact."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="positions"
    )
    kind = models.CharField(_("position"), max_length=16, choices=PositionKind.choices)
    name = models.CharField(_("name"), max_length=50)
    public_phone = models.CharField(
        _("public phone"),
        max_length=32,
        blank=True,
        validators=[validate_public_phone],
        help_text=_("Shown on the public station page; leave empty to show none."),
    )

    class Meta:
        verbose_name = _("station position")
        verbose_name_plural = _("station positions")
        ordering = ["station", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class DeputyLevel(models.IntegerChoices):
    """The five levels of people's congresses; labels are the deputy's title (全国人大代表, …).
    Streets (街道) have no congress of their own: their deputies are county-level."""

    NATIONAL = 1, _("Deputy to the National People's Congress")
    PROVINCIAL = 2, _("Provincial people's congress deputy")
    CITY = 3, _("City people's congress deputy")
    COUNTY = 4, _("County / district people's congress deputy")
    TOWNSHIP = 5, _("Township people's congress deputy")


class Deputy(PublicCodeMixin, TimeStampedModel):
    """人大代表 — a deputy, with the public data of their sign (公示牌)."""

    code = models.CharField(_("deputy number"), max_length=32, unique=True)
    name = models.CharField(_("full name"), max_length=50)
    level = models.PositiveSmallIntegerField(_("level"), choices=DeputyLevel.choices)
    term = models.CharField(_("term"), max_length=50, help_text=_("e.g. 17th (第十七届)"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="deputies",
        help_text=_("Where the deputy lives and works; decides who administers the record."),
    )
    constituency = models.CharField(_("constituency"), max_length=200, blank=True)
    # 选区 / 选举单位 as regions: a county deputy's constituency is one or a few communities or a
    # township, a city deputy's the county whose congress elected them, and so on up. "Who is my
    # deputy" finds the deputies whose regions contain an address (directory/finder.py).
    constituency_regions = models.ManyToManyField(
        Region,
        verbose_name=_("constituency regions"),
        related_name="constituency_deputies",
        blank=True,
        help_text=_(
            "The regions whose residents the deputy represents: for a deputy elected by a "
            "congress, the region of that congress."
        ),
    )
    contact_blocks = models.TextField(
        _("contact blocks"), blank=True, help_text=_("One contact block or grid cell per line.")
    )
    photo = models.ImageField(_("photo"), upload_to="deputies/", blank=True)
    public_phone = models.CharField(
        _("public phone"), max_length=32, blank=True, validators=[validate_public_phone]
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    stations = models.ManyToManyField(
        Station, verbose_name=_("stations"), related_name="deputies", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["level", "name"]
        indexes = [
            models.Index(fields=["is_active", "name"]),
            models.Index(
                fields=["name"], name="deputy_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:deputy", args=[self.public_code])

    @property
    def contact_block_list(self) -> list[str]:
        return [line.strip() for line in self.contact_blocks.splitlines() if line.strip()]


class DepartmentLevel(models.IntegerChoices):
    CITY = 2, _("City")
    COUNTY = 3, _("County / district")
    TOWNSHIP = 4, _("Township / street")
    COMMUNITY = 5, _("Community / village")


class Department(TimeStampedModel):
    """承办单位 — a government department or unit that handles assigned matters."""

    code = models.CharField(_("department code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=DepartmentLevel.choices)
    phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_public_phone]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Category(TimeStampedModel):
    """问题分类 — what a matter is about (roads, parking, street lights, …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    # 办理时限: e.g. a broken street light is quicker to mend than a kindergarten place is to find.
    handling_days = models.PositiveSmallIntegerField(
        _("handling time (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Working days a department has to report its result; empty: the default (15)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class GridCell(TimeStampedModel):
    """网格 — a grid cell of the community grid: a few hundred households with one grid worker
    (网格员), the deputies who look after it and the station that covers it (docs/grid.md)."""

    code = models.CharField(_("grid cell number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grid_cells"
    )
    boundary = models.TextField(
        _("boundary"),
        blank=True,
        help_text=_("In words, e.g. north of Wensan Road, buildings 1 to 12 of Cuiyuan."),
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("covering station"),
        on_delete=models.PROTECT,
        related_name="grid_cells",
        help_text=_("The station whose staff follow the matters raised in this cell."),
    )
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("deputies"), related_name="grid_cells", blank=True
    )
    worker_name = models.CharField(_("grid worker"), max_length=50, blank=True)
    # A grid worker's work phone is published on the cell's board, like a station's.
    worker_phone = models.CharField(
        _("grid worker's phone"), max_length=32, blank=True, validators=[validate_public_phone]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grid cell")
        verbose_name_plural = _("grid cells")
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return self.name
