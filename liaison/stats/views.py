"""Statistics pages (thin): the staff dashboard /staff/stats/ and the public page /stats/.
Both read the rollups (overview.py), scoped by selectors.py."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from liaison.core import public_pages
from liaison.core.dbrouter import replica_reads
from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all, restrict
from liaison.workdays.deadlines import local_day

from . import (
    cache,
    compare,
    drill,
    figures,
    grid,
    hotspots,
    legislation,
    links,
    opendata,
    overview,
    reports,
    selectors,
    services,
)
from .forms import PeriodForm, ReportForm
from .models import StatsReport


def _page(request, template, sources_for, *, public: bool, extra=None, user=None):
    form = PeriodForm(request.GET or None)
    found, status, lines = None, 200, None
    context = {"links": None}
    if not request.GET or form.is_valid():
        if not request.GET:
            form = PeriodForm({})
            form.is_valid()
        data = form.cleaned_data
        try:
            sources = sources_for(data["region"], data["station"], data["end"].year)
        except NotAllowed as refused:
            # Said on the page, with the form to choose again; no figure of that place.
            form.add_error(None, str(refused))
            status = 403
        else:
            computed = _computed(user, sources, data, public=public)
            found, lines = computed["overview"], computed["legislation"]
            # The rendered figures, kept beside the computed ones: per viewer on the dashboard
            # (its links to the lists depend on the viewer's permissions) and per query string
            # (the export links carry it).
            context["figures_key"] = (
                computed["key"],
                "public" if public else user.pk,
                request.GET.urlencode(),
            )
            context["figures_seconds"] = (
                settings.LIAISON_STATS_CACHE_SECONDS if computed["key"] else 0
            )
            context.update(computed["around"])
            context["grid"] = computed["grid"]
            if not public:
                context["links"] = links.for_viewer(
                    user, data["start"], data["end"], data["region"], data["station"]
                )
    else:
        status = 400
    context.update(
        {
            "form": form,
            "overview": found,
            "figures": found.cases if found else None,
            "legislation": lines,
            "public": public,
            **(extra or {}),
        }
    )
    if not public:
        # The department table's export (exports.py) takes the same period and place.
        context["querystring"] = request.GET.urlencode()
    return render(request, template, context, status=status)


def _computed(user, sources, data, *, public: bool) -> dict:
    """The page's figures, from the cache when the same scope asked for the same place and
    period since the rollups last moved (cache.py)."""
    parts = (
        "public" if public else sources.scope,
        getattr(data["region"], "pk", None),
        getattr(data["station"], "pk", None),
        data["start"],
        data["end"],
        data.get("compared"),
        local_day(timezone.now()),
    )

    def compute():
        return {
            "overview": overview.compute(
                sources,
                data["start"],
                data["end"],
                today=local_day(timezone.now()),
                public=public,
            ),
            "around": _around(user, sources, data, public=public),
            "legislation": legislation.compute(sources.legislation, data["start"], data["end"]),
            "grid": grid.compute(sources.cases, data["start"], data["end"]),
        }

    name, found = cache.remembered(parts, compute)
    return {**found, "key": name}


def _around(user, sources, data, *, public: bool) -> dict:
    """What the page shows beside the figures: the comparison period, and on the staff dashboard
    the links to the lists behind the counts and the drill-down by region."""
    period = (data["start"], data["end"])
    found = {"drill": None, "comparison": None}
    if data.get("compared"):
        found["comparison"] = compare.compare(
            sources.case_rows, sources.work_rows, period, data["compared"]
        )
    if public:
        return found
    region, station = data["region"], data["station"]
    top = drill.root(user)
    if station is None and (user.is_administrator or top is not None):
        found["drill"] = drill.compute(
            sources.case_rows,
            region or top,
            *period,
            top=top,
            whole=isinstance(sources.figures, figures.RegionRows),
        )
        found["period_query"] = {"start": period[0].isoformat(), "end": period[1].isoformat()}
    return found


@replica_reads
@login_required
def dashboard(request):
    user = request.user
    if not may_at_all(user, "casefigure.view"):
        raise PermissionDenied(gettext("Your account has no statistics to see."))
    return public_pages.cached(
        request,
        lambda extra: _page(
            request,
            "stats/staff/dashboard.html",
            lambda region, station, year: selectors.staff_sources(user, region, station, year),
            public=False,
            extra={
                "reports": _recent_reports(user),
                "hotspots": hotspots.growing(user),
                **extra,
            },
            user=user,
        ),
        parts=_whole_page_parts(request, selectors.staff_scope(user)),
        timeout=settings.LIAISON_STATS_CACHE_SECONDS,
        signed_in=True,
    )


def _whole_page_parts(request, scope) -> tuple:
    """What a statistics page shows besides its viewer (core/public_pages.py): the scope, the
    query string (a refused one is never kept: only answers 200 are), the day, the rollups'
    marks (cache.py) and the written reports. What the marks do not cover, like the figures
    themselves, is at most LIAISON_STATS_CACHE_SECONDS old."""
    return (
        scope,
        request.GET.urlencode(),
        local_day(timezone.now()),
        cache.marks(),
        public_pages.version(reports.REPORTS),
    )


def _recent_reports(user):
    """The newest reports in the viewer's scope, or None for an account without any."""
    if not may_at_all(user, "statsreport.view"):
        return None
    done = _reports(user).filter(state=StatsReport.State.DONE)
    return list(done.order_by("-finished_at", "region__path")[:10])


@replica_reads
def public(request):
    return public_pages.cached(
        request,
        lambda extra: _page(
            request, "stats/public/stats.html", selectors.public_sources, public=True, extra=extra
        ),
        parts=_whole_page_parts(request, "public"),
        timeout=settings.LIAISON_STATS_CACHE_SECONDS,
        signed_in=True,
    )


@replica_reads
def open_data(request):
    """The monthly open data files (docs/open-data.md), newest first."""
    return render(request, "stats/public/open_data.html", {"months": opendata.published()})


@replica_reads
def open_data_file(request, name):
    stored = opendata.open_file(name)
    if stored is None:
        raise Http404(gettext("There is no open data file of this name."))
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    return FileResponse(stored, as_attachment=True, filename=name, content_type=content_type)


def _may_see_reports(user):
    if not may_at_all(user, "statsreport.view"):
        raise PermissionDenied(gettext("Your account has no statistics reports to see."))


def _reports(user):
    return restrict(StatsReport.objects.select_related("region"), user, "view")


@replica_reads
@login_required
def report_list(request):
    """The PDF reports of the regions the viewer may see, and a form to ask for one."""
    _may_see_reports(request.user)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.request_report(
                    region=data["region"],
                    period=data["period"],
                    year=data["year"],
                    number=data["number"],
                    actor=request.user,
                )
            except NotAllowed as refused:
                form.add_error("region", str(refused))
                status = 403
            else:
                return redirect("stats:report", pk=report.pk)
        else:
            status = 400
    else:
        region = request.user.region
        form = ReportForm(
            initial={"region": region.code if region else "", "year": timezone.localdate().year}
        )
    done = _reports(request.user).filter(state=StatsReport.State.DONE)
    context = {"form": form, "reports": done.order_by("-start", "region__path")[:200]}
    return render(request, "stats/staff/reports.html", context, status=status)


@replica_reads
@login_required
def report_detail(request, pk):
    _may_see_reports(request.user)
    report = get_object_or_404(_reports(request.user), pk=pk)
    pending = report.state in (StatsReport.State.QUEUED, StatsReport.State.RUNNING)
    return render(request, "stats/staff/report.html", {"report": report, "pending": pending})


@replica_reads
@login_required
def report_download(request, pk):
    _may_see_reports(request.user)
    report = get_object_or_404(_reports(request.user), pk=pk, state=StatsReport.State.DONE)
    name = f"liaison-stats-{report.region.code}-{report.period}-{report.start:%Y%m%d}.pdf"
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
