"""Open311 GeoReport v2 endpoints (thin): JSON or XML by the path's extension, errors in the
standard's format. See docs/open311.md."""

from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from liaison.cases.services import days

from . import intake, publish
from .render import error, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-11-21T00:00:00+08:00"  # when this interface last changed


def _requests(fmt, data, status=200):
    return respond(fmt, data, root="service_requests", item="request", status=status)


@require_GET
def discovery(request, fmt):
    data = {
        "changeset": CHANGESET,
        "contact": gettext("The district people's congress standing committee office."),
        "key_service": gettext(
            "API keys are issued by the site's administrators (liaison apikey create NAME)."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, data, root="discovery", item=None)


@require_GET
def services(request, fmt):
    data = [publish.service(category) for category in publish.services()]
    return respond(fmt, data, root="services", item="service")


@require_GET
def service_definition(request, code, fmt):
    category = publish.services().filter(code=code).first()
    if category is None:
        return error(fmt, 404, gettext("Unknown service_code: %s.") % code)
    return respond(fmt, publish.definition(category), root="service_definition", item=None)


@csrf_exempt  # partners authenticate with api_key, not a session
def requests(request, fmt):
    if request.method == "POST":
        try:
            case = intake.submit(request.POST, language=get_language())
        except intake.Refused as refused:
            return error(fmt, refused.status, *refused.descriptions)
        values = {"days": days("CASE_REVIEW_DAYS"), "number": case.tracking_number}
        if case.citizen_phone:
            notice = gettext(
                "Received. The liaison station reviews it within %(days)s working days; follow "
                "it with service_request_id %(number)s."
            )
        else:
            notice = gettext(
                "Received without a phone: the citizen gets no SMS. The liaison station reviews "
                "it within %(days)s working days. The service_request_id %(number)s is the only "
                "way to follow it: give it to the citizen."
            )
        notice %= values
        data = [
            {
                "service_request_id": case.tracking_number,
                "service_notice": notice,
                "account_id": None,
            }
        ]
        return _requests(fmt, data)
    if request.method != "GET":
        return error(fmt, 405, gettext("Use GET or POST."))
    try:
        cases = publish.filter_requests(request.GET)
    except publish.BadQuery as bad:
        return error(fmt, 400, str(bad))
    return _requests(fmt, [publish.service_request(case) for case in cases])


def _published(number):
    return publish.published_cases().filter(tracking_number=number).first()


@require_GET
def request_detail(request, number, fmt):
    case = _published(number)
    if case is None:
        return error(fmt, 404, gettext("Unknown service_request_id: %s.") % number)
    return _requests(fmt, [publish.service_request(case)])


@require_GET
def token(request, token, fmt):
    """We answer a POST with the service_request_id at once, so a token is that id."""
    if _published(token) is None:
        return error(fmt, 404, gettext("Unknown token: %s.") % token)
    return _requests(fmt, [{"service_request_id": token, "token": token}])


def not_found(request, path=""):
    fmt = "xml" if path.endswith(".xml") else "json"
    return error(fmt, 404, gettext("No such Open311 endpoint or format (use .json or .xml)."))
