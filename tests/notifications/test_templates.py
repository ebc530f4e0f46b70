"""SMS as gateway templates: kinds with named parameters, cut to the gateways' limits; a refusal
for good marks the row dead; each channel has its own backend; inbox notices are in at once."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import translation

from liaison.notifications import sms
from liaison.notifications.apps import check_backend
from liaison.notifications.backends import PermanentFailure, backend_name
from liaison.notifications.models import Notification, Status
from liaison.notifications.services import claim_due, enqueue, enqueue_sms, retry, send_one


def test_the_text_is_rendered_from_the_template_in_the_active_language(db):
    with translation.override("zh-hans"):
        note = enqueue_sms(
            "13812345678", "case_received", {"number": "3812559047", "url": "http://x/t/1"}
        )
    assert note.template == "case_received"
    assert note.params == {"number": "3812559047", "url": "http://x/t/1"}
    assert "3812559047" in note.body and "http://x/t/1" in note.body
    assert "Tracking number" not in note.body  # Chinese, not the English msgid
    with translation.override("en"):
        english = sms.render("case_received", note.params)
    assert english.startswith("Your message has been received.")


def test_long_or_bracketed_parameters_are_cut_to_what_gateways_accept(db):
    title = "【通知】" + "很长的活动标题" * 10 + "\n第二行"
    note = enqueue_sms(
        "13812345678", "activity_cancelled", {"title": title, "when": "2026-12-05 09:00"}
    )
    assert len(note.params["title"]) == sms.PARAM_LIMIT and note.params["title"].endswith("…")
    assert not set("【】\n") & set(note.params["title"])
    sms.check_params("activity_cancelled", note.params)  # what is stored passes the gateway check


def test_a_missing_parameter_is_a_programming_error_not_a_message(db):
    with pytest.raises(ValueError, match="url"):
        enqueue_sms("13812345678", "case_received", {"number": "1"})
    with pytest.raises(ValueError, match="Unknown SMS kind"):
        enqueue_sms("13812345678", "no_such_kind", {})
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "params",
    [{"number": "1"}, {"number": "1", "url": "x" * 101}, {"number": "【1】", "url": "u"}],
)
def test_the_gateway_check_refuses_what_a_gateway_would_refuse(params):
    with pytest.raises(PermanentFailure):
        sms.check_params("case_received", params)


def test_template_ids_come_from_the_environment_with_placeholders_only_in_demo(settings):
    settings.SMS_TEMPLATE_IDS = {"case_received": "1234567"}
    assert sms.template_id("case_received") == "1234567"
    settings.DEMO_MODE, settings.DEBUG = True, False
    assert sms.template_id("case_code") == "DEMO_CASE_CODE"
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured, match="LIAISON_SMS_TEMPLATE_CASE_CODE"):
        sms.template_id("case_code")
    assert sms.ordered_params("case_replied", {"url": "u", "name": "王", "number": "7"}) == [
        "王",
        "7",
        "u",
    ]


def test_a_gateway_without_template_ids_is_a_start_up_error(settings):
    settings.SMS_BACKEND = "liaison.notifications.backends.ConsoleBackend"
    settings.DEMO_MODE = settings.DEBUG = False
    assert check_backend(None) == []  # not a gateway: no template IDs needed
    settings.SMS_BACKEND, settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY = "aliyun", "id", "key"
    settings.SMS_SIGN_NAME = "江北人大"
    settings.SMS_TEMPLATE_IDS = {kind: "1" for kind in sms.TEMPLATES if kind != "case_closed"}
    errors = check_backend(None)
    assert [e.id for e in errors] == ["notifications.E002"]
    assert "LIAISON_SMS_TEMPLATE_CASE_CLOSED" in errors[0].msg


class Refusing:
    def send(self, notification):
        raise PermanentFailure("isv.MOBILE_NUMBER_ILLEGAL: 号码格式错误")


class Accepting:
    def send(self, notification):
        return "biz-42"


def test_a_refusal_for_good_is_dead_at_once_and_staff_can_retry_it(db, django_user_model):
    note = enqueue_sms("13812345678", "case_code", {"code": "123456"})
    [claimed] = claim_due()
    assert send_one(claimed, Refusing()) is False
    note.refresh_from_db()
    assert note.status == Status.DEAD and note.attempts == 1
    assert "MOBILE_NUMBER_ILLEGAL" in note.last_error
    assert claim_due() == []  # not retried by itself
    admin = django_user_model.objects.create_user("admin", password="x", role="administrator")
    assert retry(note, actor=admin)
    [again] = claim_due()
    assert send_one(again, Accepting())
    note.refresh_from_db()
    assert note.status == Status.SENT and note.provider_message_id == "biz-42"


def test_each_channel_goes_through_its_own_backend(db, settings, tmp_path, mailoutbox):
    settings.NOTIFICATIONS_BACKEND = "console"
    settings.SMS_BACKEND = "file"
    settings.NOTIFICATIONS_FILE = tmp_path / "sms.jsonl"
    settings.EMAIL_NOTIFICATIONS_BACKEND = "django"
    assert backend_name("sms") == "file" and backend_name("in_app") == "console"
    enqueue_sms("13812345678", "case_code", {"code": "654321"})
    enqueue("email", "kim@example.org", "案件待签收", subject="新的交办")
    call_command("worker", "--once")
    assert "654321" in settings.NOTIFICATIONS_FILE.read_text(encoding="utf-8")
    [mail] = mailoutbox
    assert mail.to == ["kim@example.org"] and mail.subject == "新的交办"
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_an_inbox_notice_is_in_the_inbox_when_written(db):
    note = enqueue("in_app", "7", "新留言待答复", link="/staff/cases/1/")
    assert note.status == Status.SENT and note.sent_at is not None and note.read_at is None
    assert claim_due() == []  # nothing for the worker to do
