"""找代表 — "who is my deputy": by name, or by address.

A citizen types their community or street (or picks region → township → community) and sees the
deputies whose constituency covers it, at every level: a county deputy elected there, the city
deputies elected by the county's congress, and so on up to the national deputies of the province
(`Deputy.constituency_regions`). Every read is an indexed lookup — a name prefix, a region code,
the few ancestors of one region — and every list is a page, so a province with tens of thousands
of deputies and communities is never read whole.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from liaison.core import registry

from .models import Deputy, Region
from .selectors import public_deputies, public_stations, region_browser

PAGE_SIZE = 20
PLACE_MATCHES = 20  # places offered for one typed name; more means "type more of it"
TEXT_MAX = 50
# A typed address is cut after each administrative suffix: 江滨区新元街道镜湖社区 → 江滨区,
# 新元街道, 镜湖社区. The last part names the place, the others tell same-named places apart.
ADDRESS_PART = re.compile(r".+?(?:街道|社区|居委会|村委会|村|镇|乡|区|县|市|省)")


@dataclass
class FinderForm:
    name: str = ""
    place: str = ""
    region: Region | None = None
    notices: list = field(default_factory=list)
    status: int = 200

    def querystring(self) -> str:
        params = {
            "name": self.name,
            "place": self.place if self.region is None else "",
            "region": self.region.code if self.region else "",
        }
        return urlencode({k: v for k, v in params.items() if v})


def _text(params, key: str) -> str:
    return " ".join((params.get(key) or "").split())[:TEXT_MAX]


def clean(params) -> FinderForm:
    form = FinderForm(name=_text(params, "name"), place=_text(params, "place"))
    code = (params.get("region") or "").strip()
    if code:
        form.region = Region.objects.filter(code=code[:12]).first()
        if form.region is None:
            form.status = 404
            form.notices.append(
                _("We do not know that area. Type your community or street, or choose your area.")
            )
    elif not form.name and not form.place and ("name" in params or "place" in params):
        form.notices.append(
            _("Type a deputy's name or your community or street, or choose your area below.")
        )
    return form


def ancestor_names(regions) -> dict[int, list[Region]]:
    """Each region's chain from the top down, for a list of regions in one query."""
    codes = {code for region in regions for code in region.path.strip("/").split("/")}
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return {
        region.pk: [by_code[c] for c in region.path.strip("/").split("/") if c in by_code]
        for region in regions
    }


def find_places(text: str) -> list[Region]:
    """The regions a typed place names, most likely first: by the start of the name, else by the
    last part of a typed address (filtered by the parts before it)."""
    matches = list(
        Region.objects.filter(name__startswith=text).order_by("level", "path")[:PLACE_MATCHES]
    )
    parts = ADDRESS_PART.findall(text)
    if matches or len(parts) < 2:
        return matches
    matches = list(
        Region.objects.filter(name__startswith=parts[-1]).order_by("level", "path")[:PLACE_MATCHES]
    )
    chains = ancestor_names(matches)
    named = [
        region
        for region in matches
        if all(any(part.startswith(r.name) for r in chains[region.pk]) for part in parts[:-1])
    ]
    return named or matches


def covering_deputies(region: Region) -> QuerySet[Deputy]:
    """The deputies whose constituency contains `region`: those of the region itself and of each
    region above it (at most five ids, one join on an indexed column)."""
    codes = [c for c in region.path.strip("/").split("/") if c]
    return (
        public_deputies()
        .filter(constituency_regions__code__in=codes)
        .distinct()
        .order_by("level", "name")
    )


def deputies_by_name(name: str) -> QuerySet[Deputy]:
    # A prefix, not a substring: answered from the name index (models.Deputy).
    return public_deputies().filter(name__startswith=name).order_by("name", "level")


def _page(results, params, form: FinderForm):
    paginator = Paginator(results, PAGE_SIZE)
    try:
        return paginator.page(params.get("page") or 1)
    except PageNotAnInteger:
        form.notices.append(_("That page number is not valid, so the first page is shown."))
        return paginator.page(1)
    except EmptyPage:
        form.notices.append(_("There is no such page, so the last page is shown."))
        return paginator.page(paginator.num_pages)


def _with_stations(deputies: list[Deputy]) -> list[Deputy]:
    """Each deputy's active stations, each station with its next reception days (from the apps
    that know them, asked once for the whole page)."""
    prefetch_related_objects(
        deputies, Prefetch("stations", queryset=public_stations(), to_attr="public_stations")
    )
    stations = {s.pk: s for d in deputies for s in d.public_stations}
    upcoming: dict[int, list] = {}
    for answer in registry.station_receptions.functions():
        for station_id, days in answer(list(stations.values())).items():
            upcoming.setdefault(station_id, []).extend(days)
    for station in stations.values():
        station.next_receptions = sorted(
            upcoming.get(station.pk, []), key=lambda o: (o.date, o.start_time)
        )[:2]
    return deputies


def search(params) -> dict:
    """The page's context: the form, and a page of deputies (by name or by area) or the places a
    typed address may mean."""
    form = clean(params)
    context = {"form": form, "places": [], "page_obj": None, "deputies": [], "trail": []}
    if form.region is None and form.place:
        places = find_places(form.place)
        if len(places) == 1:
            form.region = places[0]
        elif places:
            chains = ancestor_names(places)
            context["places"] = [(place, chains[place.pk]) for place in places]
        else:
            form.notices.append(
                _(
                    "We found no community or street called “%(place)s”. Check the spelling, type "
                    "only its name (e.g. the community), or choose your area below."
                )
                % {"place": form.place}
            )
    if form.region is not None:
        context["trail"] = ancestor_names([form.region])[form.region.pk]
        page = _page(covering_deputies(form.region), params, form)
    elif form.name:
        page = _page(deputies_by_name(form.name), params, form)
    else:
        page = None
    if page is not None:
        context["page_obj"] = page
        context["deputies"] = _with_stations(list(page.object_list))
    context["regions"] = region_browser(form.region)
    context["querystring"] = form.querystring()
    return context
