"""The citizen's case API: submit → verify → track → rate, idempotency, validation, photos,
tracking protection (404 for wrong digits, 429), partner keys, and the schema."""

import io
import re

import pytest
import schemathesis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from PIL import Image

from liaison.api.jobs import prune_idempotency
from liaison.api.keys import create_key
from liaison.api.models import IdempotencyRecord
from liaison.cases import links, services
from liaison.cases.models import Case, CasePhoto, Channel
from liaison.cases.workflow import Status
from liaison.notifications.models import Notification
from tests.api.test_schema import wsgi_app  # noqa: F401  (the fixture)
from tests.cases.conftest import Flow

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
URL = "/api/v1/cases/"


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


def body(district, **overrides) -> dict:
    data = {
        "deputy": district.dep_a.public_code,
        "category": district.category.code,
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月。",
        "citizen_phone": PHONE,
        "privacy_accepted": True,
    }
    data.update(overrides)
    return data


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 90, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def sms_code() -> str:
    text = Notification.objects.filter(recipient=PHONE).latest("id").body
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


def test_submit_verify_track_and_rate(api, district, accounts):
    response = api.post(URL, body(district), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    number = created["tracking_number"]
    assert created["status"] == "awaiting_phone_verification"
    assert created["verify_url"] == f"http://testserver/api/v1/cases/{number}/verify"
    draft = Case.objects.get(tracking_number=number)
    assert draft.phone_verified_at is None and not draft.events.exists()
    # A draft cannot be tracked yet.
    assert api.get(f"{URL}{number}?phone_last4=5678").status_code == 404

    verified = api.post(created["verify_url"], {"code": sms_code()}, format="json")
    assert verified.status_code == 200
    assert verified.json()["status"] == Status.SUBMITTED

    tracked = api.get(f"{URL}{number}", HTTP_X_PHONE_LAST4="5678").json()
    assert tracked["status"] == "submitted" and tracked["due_at"]
    assert [e["verb"] for e in tracked["timeline"]] == ["case.submitted"]
    assert tracked["merged_into"] is None and tracked["can_withdraw"]

    a = accounts
    case = Case.objects.get(tracking_number=number)
    case = services.accept_case(case, actor=a.station_a_staff)
    case = services.reply_case(case, actor=a.deputy_a, text="已修好。", settle=True)
    tracked = api.get(f"{URL}{number}?phone_last4=5678").json()
    assert tracked["status"] == "answered" and tracked["can_rate"]
    assert tracked["rating_token"] == links.rating_token(case)

    wrong_token = api.post(
        f"{URL}{number}/rate", {"rating": "satisfied", "token": "nope"}, format="json"
    )
    assert wrong_token.status_code == 404
    rated = api.post(
        f"{URL}{number}/rate",
        {"rating": "satisfied", "comment": "谢谢", "token": tracked["rating_token"]},
        format="json",
    )
    assert rated.status_code == 200 and rated.json()["status"] == "closed"
    assert case.events.get(verb="case.rated").data["via"] == "api"
    again = api.post(
        f"{URL}{number}/rate",
        {"rating": "satisfied", "token": tracked["rating_token"]},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "transition_refused"


def test_a_wrong_code_is_refused(api, district):
    number = api.post(URL, body(district), format="json").json()["tracking_number"]
    code = sms_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = api.post(f"{URL}{number}/verify", {"code": wrong}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "code"
    assert Case.objects.get().phone_verified_at is None
    assert api.post(f"{URL}0000000000/verify", {"code": code}, format="json").status_code == 404


def test_an_idempotent_retry_returns_the_same_body_and_one_case(api, district):
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    first = api.post(URL, body(district), format="json", **headers)
    second = api.post(URL, body(district), format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Case.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    assert Notification.objects.count() == 1  # one SMS code

    conflict = api.post(URL, body(district, title="别的事"), format="json", **headers)
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert Case.objects.count() == 1
    # Another key is another message.
    api.post(URL, body(district), format="json", HTTP_IDEMPOTENCY_KEY="retry-2")
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"privacy_accepted": False}, "privacy_accepted"),
        ({"citizen_phone": "12345"}, "citizen_phone"),
        ({"category": "nope"}, "category"),
        ({"deputy": "", "station": "nope"}, "station"),
        ({"title": ""}, "title"),
        ({"latitude": "30.1"}, "latitude"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, district, overrides, field):
    response = api.post(URL, body(district, **overrides), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert Case.objects.count() == 0 and Notification.objects.count() == 0


def test_photos_are_checked_by_content(api, district):
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg")
    data = body(district, photos=[jpeg(), fake])
    response = api.post(URL, data, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "photos"
    assert Case.objects.count() == 0

    response = api.post(URL, body(district, photos=[jpeg("a.jpg"), jpeg("b.jpg")]))
    assert response.status_code == 201
    assert CasePhoto.objects.filter(case__tracking_number=response.json()["tracking_number"])
    assert CasePhoto.objects.count() == 2


def test_wrong_digits_answer_like_an_unknown_number_and_are_rate_limited(api, flow, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER = 3
    number = flow.submit().tracking_number
    wrong = api.get(f"{URL}{number}?phone_last4=0000")
    unknown = api.get(f"{URL}9999999999?phone_last4=5678")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert api.get(f"{URL}{number}").status_code == 404  # no digits: not opened, not counted
    api.get(f"{URL}{number}?phone_last4=0001")
    api.get(f"{URL}{number}?phone_last4=0002")
    blocked = api.get(f"{URL}{number}?phone_last4=5678")
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "throttled" and blocked["Retry-After"]


def test_supplement_and_withdraw_with_the_digits(api, flow):
    case = flow.to(Status.NEEDS_INFO)
    url = f"{URL}{case.tracking_number}"
    refused = api.post(f"{url}/supplement", {"phone_last4": "0000", "text": "x"}, format="json")
    assert refused.status_code == 404
    added = api.post(f"{url}/supplement", {"phone_last4": "5678", "text": "在12号"}, format="json")
    assert added.status_code == 200 and added.json()["status"] == "submitted"
    gone = api.post(f"{url}/withdraw", {"phone_last4": "5678", "reason": "已解决"}, format="json")
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    twice = api.post(f"{url}/withdraw", {"phone_last4": "5678"}, format="json")
    assert twice.status_code == 409


def test_a_merged_case_shows_the_case_it_follows(api, flow):
    case = flow.to(Status.MERGED)
    tracked = api.get(f"{URL}{case.tracking_number}?phone_last4=5678").json()
    assert tracked["status"] == "merged"
    assert tracked["merged_into"]["status"] == "submitted"
    assert tracked["merged_into"]["raised_by"] == 2


def test_an_application_key_submits_verified_cases(api, district):
    _key, raw = create_key(name="12345 hotline", scopes=["cases:submit"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(URL, body(district), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted" and response.json()["verify_url"] is None
    case = Case.objects.verified().get()
    assert case.channel == Channel.API
    consent = case.events.get(verb="case.submitted").data["privacy_consent"]
    assert consent["application"] == "12345 hotline"


def test_a_key_without_the_scope_files_a_draft(api, district):
    _key, raw = create_key(name="reader", scopes=["cases:read"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(URL, body(district), format="json")
    assert response.json()["status"] == "awaiting_phone_verification"
    assert not Case.objects.verified().exists()


def test_messages_per_phone_are_limited(api, district, settings):
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 1
    assert api.post(URL, body(district), format="json").status_code == 201
    response = api.post(URL, body(district), format="json")
    assert response.status_code == 429 and response["Retry-After"]
    assert Case.objects.count() == 1


def test_the_schema_documents_the_citizen_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    submit = paths["/api/v1/cases/"]["post"]
    assert {"201", "400", "409", "429"} <= set(submit["responses"])
    assert "multipart/form-data" in submit["requestBody"]["content"]
    track = paths["/api/v1/cases/{tracking_number}"]["get"]
    assert {"200", "404", "429"} <= set(track["responses"])
    for action in ("verify", "supplement", "withdraw", "rate"):
        assert "post" in paths[f"/api/v1/cases/{{tracking_number}}/{action}"]


def test_tracking_keeps_to_the_schema(flow, settings, wsgi_app):  # noqa: F811
    """schemathesis on the citizen's GET (tests/api/test_schema.py runs every GET as well)."""
    settings.ALLOWED_HOSTS = ["*"]
    flow.to(Status.ANSWERED)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema["/api/v1/cases/{tracking_number}"]["GET"]

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        response = case.call_and_validate()
        assert response.status_code < 500

    check()


def test_the_periodic_job_forgets_idempotency_answers_older_than_a_day(api, district):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        api.post(URL, body(district), format="json", HTTP_IDEMPOTENCY_KEY="old")
    with time_machine.travel("2026-03-03 08:00 +0800", tick=False):
        api.post(URL, body(district), format="json", HTTP_IDEMPOTENCY_KEY="recent")
        # 23 hours: the first answer is still kept.
        assert prune_idempotency().startswith("0 ")
    with time_machine.travel("2026-03-03 09:30 +0800", tick=False):
        assert prune_idempotency().startswith("1 ")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
