"""POST requests: a partner system files a citizen's message through Open311.

The message enters review like any other (`services.submit_case`, channel "api", status
submitted, visible in the station's queue). The partner authenticates with an API key that has
the "cases:submit" scope and vouches for the citizen's phone (when it sends one: the standard
makes it optional) and acceptance of the privacy notice; that is recorded in the submission event
(`privacy_consent`, with `no_contact` when there is no phone).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext

from liaison.api.keys import authenticate_key
from liaison.cases import services
from liaison.cases.models import Case, Channel
from liaison.directory.models import Category, Station
from liaison.directory.selectors import nearest_stations, public_stations

SCOPE = "cases:submit"
TITLE_LENGTH = 40
MEDIA_URL_LENGTH = 500
# submit_case's argument names → the Open311 fields the client sent.
FIELDS = {
    "citizen_phone": "phone",
    "citizen_name": "first_name/last_name",
    "description": "description",
    "title": "description",
    "latitude": "lat/long",
    "location_text": "address_string",
    "category": "service_code",
    "station": "lat/long",
}


@dataclass
class Refused(Exception):
    status: int
    descriptions: list[str]


def _bad(*descriptions: str) -> Refused:
    return Refused(400, list(descriptions))


def _coordinate(raw: str, name: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise _bad(gettext("%(name)s must be a decimal number.") % {"name": name}) from None
    if not value.is_finite():
        raise _bad(gettext("%(name)s must be a decimal number.") % {"name": name})
    return value.quantize(Decimal("0.000001"))


def _station(lat, lng) -> Station:
    """The nearest active station to the position, else the configured default station."""
    if lat is not None:
        located = public_stations().filter(latitude__isnull=False, longitude__isnull=False)
        nearest = nearest_stations(located, float(lat), float(lng), wanted=1)
        if nearest:
            return nearest[0]
    code = getattr(settings, "OPEN311_DEFAULT_STATION", "")
    station = public_stations().filter(code=code).first() if code else None
    if station is None:
        raise _bad(
            gettext(
                "No liaison station is near this position; send lat and long within the district."
            )
            if lat is not None
            else gettext("Send lat and long: this server has no default station for addresses.")
        )
    return station


def _title(description: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1] + "…"


def submit(params, *, language: str | None) -> Case:
    """Checks the POST fields (raising `Refused` with the status and messages) and files the
    case. Nothing is written when anything is refused."""
    raw_key = params.get("api_key", "").strip()
    if not raw_key:
        raise _bad(gettext("api_key is required."))
    key = authenticate_key(raw_key)
    if key is None:
        raise Refused(403, [gettext("The api_key is not valid or has been revoked.")])
    if not key.has_scope(SCOPE):
        raise Refused(403, [gettext("This api_key may not file requests (scope %s).") % SCOPE])
    expected = getattr(settings, "OPEN311_JURISDICTION_ID", "")
    jurisdiction = params.get("jurisdiction_id", "").strip()
    if expected and jurisdiction and jurisdiction != expected:
        raise Refused(404, [gettext("Unknown jurisdiction_id.")])

    errors = []
    code = params.get("service_code", "").strip()
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    if not code:
        errors.append(gettext("service_code is required."))
    elif category is None:
        errors.append(gettext("Unknown service_code: %s.") % code)
    description = params.get("description", "").strip()
    if not description:
        errors.append(gettext("description is required."))
    address = params.get("address_string", "").strip()
    raw_lat, raw_lng = params.get("lat", "").strip(), params.get("long", "").strip()
    lat = lng = None
    if raw_lat or raw_lng:
        if not (raw_lat and raw_lng):
            errors.append(gettext("Send both lat and long."))
        else:
            try:
                lat, lng = _coordinate(raw_lat, "lat"), _coordinate(raw_lng, "long")
            except Refused as refused:
                errors.extend(refused.descriptions)
            else:
                if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                    errors.append(gettext("lat and long are not a valid position."))
                    lat = lng = None
    elif not address:
        errors.append(gettext("Send lat and long or address_string."))
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            if len(media_url) > MEDIA_URL_LENGTH:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(gettext("media_url must be an http or https address."))
    if errors:
        raise _bad(*errors)

    station = _station(lat, lng)
    # The photo stays where the partner keeps it: we download nothing, staff see the link.
    text = description + (f"\n\nmedia_url: {media_url}" if media_url else "")
    name = " ".join(
        part
        for part in (params.get("first_name", "").strip(), params.get("last_name", "").strip())
        if part
    )
    phone = params.get("phone", "").strip()
    # GeoReport v2 makes every contact field optional. Without a phone the request is filed as
    # is: no SMS, no phone check; staff see "no contact details", and the tracking number
    # (service_request_id) is the citizen's only way back.
    vouched = ["phone", "privacy_notice"] if phone else ["privacy_notice"]
    try:
        return services.submit_case(
            channel=Channel.API,
            station=station,
            deputy=None,
            category=category,
            title=_title(description),
            description=text,
            citizen_phone=phone,
            citizen_name=name,
            contact_required=False,
            privacy_accepted=True,
            location_text=address,
            latitude=lat,
            longitude=lng,
            language=language,
            privacy_consent={
                "how": "open311",
                "api_key": key.prefix,
                "application": key.name,
                # The partner confirmed the phone and the privacy notice with the citizen.
                "vouched_by_partner": vouched,
                **({} if phone else {"no_contact": True}),
            },
        )
    except ValidationError as invalid:
        raise _bad(
            *(
                f"{FIELDS.get(field, field)}: {message}"
                for field, messages in invalid.message_dict.items()
                for message in messages
            )
        ) from None
