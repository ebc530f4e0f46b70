"""Delivery receipts (回执) from Tencent Cloud SMS and Alibaba Cloud SMS: a sent row becomes
delivered or dead, once; everything else is refused or ignored without changing a row."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liaison.notifications.models import Notification, Status

TOKEN = "t0ken-for-tests-0123456789abcdef"
TENCENT = f"/hooks/sms/tencentcloud/{TOKEN}/"
ALIYUN = f"/hooks/sms/aliyun/{TOKEN}/"
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _token(settings):
    settings.SMS_CALLBACK_TOKEN = TOKEN
    settings.SMS_CALLBACK_IPS = []


def _sent(message_id: str, phone="13812345678", status=Status.SENT) -> Notification:
    return Notification.objects.create(
        channel="sms",
        recipient=phone,
        body="您的留言已收到",
        template="case_received",
        status=status,
        attempts=1,
        sent_at=timezone.now(),
        provider_message_id=message_id,
    )


def _tencent(sid, status="SUCCESS", errmsg="DELIVRD", description="用户短信送达成功"):
    return {
        "user_receive_time": "2025-03-03 09:00:05",
        "nationcode": "86",
        "mobile": "13812345678",
        "report_status": status,
        "errmsg": errmsg,
        "description": description,
        "sid": sid,
    }


def _aliyun(biz_id, out_id, success=True, err_code="DELIVERED", err_msg="用户接收成功"):
    return {
        "phone_number": "13812345678",
        "send_time": "2025-03-03 09:00:00",
        "report_time": "2025-03-03 09:00:07",
        "success": success,
        "err_code": err_code,
        "err_msg": err_msg,
        "sms_size": "1",
        "biz_id": biz_id,
        "out_id": str(out_id),
    }


def _post(client, url, payload, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **extra)


def test_tencent_success_marks_the_row_delivered_at_the_receive_time(client, db):
    note = _sent("2019:1234567890")
    response = _post(client, TENCENT, [_tencent("2019:1234567890")])
    assert response.status_code == 200
    assert response.json() == {
        "result": 0,
        "errmsg": "OK",
        "delivered": 1,
        "dead": 0,
        "unchanged": 0,
        "unknown": 0,
    }
    note.refresh_from_db()
    assert note.status == Status.DELIVERED
    assert note.delivered_at == datetime(2025, 3, 3, 9, 0, 5, tzinfo=BEIJING)


def test_tencent_failure_marks_the_row_dead_with_the_carriers_code(client, db):
    note = _sent("2019:1")
    report = _tencent("2019:1", "FAIL", "MK:0001", "空号 13812345678")
    response = _post(client, TENCENT, [report])
    assert response.status_code == 200 and response.json()["dead"] == 1
    note.refresh_from_db()
    assert note.status == Status.DEAD
    assert "MK:0001" in note.last_error and "空号" in note.last_error
    assert "13812345678" not in note.last_error  # masked
    assert note.delivered_at is None


def test_aliyun_batch_applies_each_report_and_answers_as_alibaba_expects(client, db):
    delivered, refused = _sent("biz-1"), _sent("biz-2")
    payload = [
        _aliyun("biz-1", delivered.pk),
        _aliyun("biz-2", refused.pk, success=False, err_code="UNDELIV", err_msg="停机"),
    ]
    response = _post(client, ALIYUN, payload)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["code"], answer["msg"]) == (0, "成功")
    assert (answer["delivered"], answer["dead"]) == (1, 1)
    delivered.refresh_from_db()
    refused.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert delivered.delivered_at == datetime(2025, 3, 3, 9, 0, 7, tzinfo=BEIJING)
    assert refused.status == Status.DEAD and "UNDELIV" in refused.last_error


def test_unknown_ids_are_ignored_but_counted(client, db):
    note = _sent("biz-1")
    payload = [_aliyun("biz-404", 999), _aliyun("biz-1", note.pk + 1)]  # a foreign out_id too
    response = _post(client, ALIYUN, payload)
    assert response.status_code == 200
    assert (response.json()["code"], response.json()["unknown"]) == (0, 2)
    note.refresh_from_db()
    assert note.status == Status.SENT


def test_a_replayed_or_late_report_never_moves_a_row_backwards(client, db):
    note = _sent("2019:7")
    assert _post(client, TENCENT, [_tencent("2019:7")]).json()["delivered"] == 1
    note.refresh_from_db()
    first = note.delivered_at
    # The same push again, then a late failure for the same send: nothing changes.
    replay = _post(client, TENCENT, [_tencent("2019:7"), _tencent("2019:7", "FAIL", "UNDELIV")])
    assert replay.status_code == 200 and replay.json()["unchanged"] == 2
    note.refresh_from_db()
    assert (note.status, note.delivered_at, note.last_error) == (Status.DELIVERED, first, "")


def test_a_success_after_a_failure_does_not_revive_a_dead_row(client, db):
    note = _sent("biz-9")
    _post(client, ALIYUN, [_aliyun("biz-9", note.pk, success=False, err_code="MK:0001")])
    _post(client, ALIYUN, [_aliyun("biz-9", note.pk)])
    note.refresh_from_db()
    assert note.status == Status.DEAD and note.delivered_at is None


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENDING, Status.FAILED])
def test_only_sent_rows_take_a_verdict(client, db, status):
    note = _sent("biz-5", status=status)
    response = _post(client, ALIYUN, [_aliyun("biz-5", note.pk)])
    assert response.json()["unchanged"] == 1
    note.refresh_from_db()
    assert note.status == status


def test_a_wrong_token_is_forbidden_and_changes_nothing(client, db):
    note = _sent("2019:1")
    response = _post(client, "/hooks/sms/tencentcloud/not-the-token/", [_tencent("2019:1")])
    assert response.status_code == 403
    assert response.json()["result"] != 0
    note.refresh_from_db()
    assert note.status == Status.SENT


def test_a_missing_token_is_not_found(client, db):
    assert _post(client, "/hooks/sms/tencentcloud/", []).status_code == 404
    assert _post(client, "/hooks/sms/aliyun//", []).status_code == 404


def test_without_a_configured_token_the_endpoints_do_not_exist(client, db, settings):
    settings.SMS_CALLBACK_TOKEN = ""
    note = _sent("2019:1")
    assert _post(client, TENCENT, [_tencent("2019:1")]).status_code == 404
    assert _post(client, "/hooks/sms/tencentcloud/x/", [_tencent("2019:1")]).status_code == 404
    note.refresh_from_db()
    assert note.status == Status.SENT


def test_an_unknown_gateway_is_not_found(client, db):
    assert _post(client, f"/hooks/sms/other/{TOKEN}/", []).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"sid": "2019:1", "report_status": "SUCCESS"},  # an object, not an array
        "not json",
        b"\xff\xfe",
        [_tencent("")],  # no sid
        [{**_tencent("2019:1"), "report_status": "MAYBE"}],
        ["2019:1"],
        [{**_tencent("2019:1"), "sid": ["2019:1"]}],
        "[" * 100_000 + "]" * 100_000,  # nested past the parser's recursion limit
    ],
)
def test_malformed_bodies_are_refused_and_change_nothing(client, db, body):
    note = _sent("2019:1")
    response = _post(client, TENCENT, body)
    assert response.status_code == 400
    assert response.json()["result"] == 1
    note.refresh_from_db()
    assert note.status == Status.SENT


def test_aliyun_without_success_is_refused(client, db):
    note = _sent("biz-1")
    report = _aliyun("biz-1", note.pk)
    del report["success"]
    response = _post(client, ALIYUN, [report])
    assert response.status_code == 400 and response.json()["code"] == 1


def test_a_body_over_the_limit_is_refused(client, db):
    note = _sent("2019:1")
    huge = [_tencent("2019:1", description="x" * 300_000)]
    response = _post(client, TENCENT, huge)
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.status == Status.SENT


def test_get_is_not_allowed(client, db):
    assert client.get(TENCENT).status_code == 405


def test_the_allow_list_refuses_other_addresses(client, db, settings):
    settings.SMS_CALLBACK_IPS = ["203.0.113.0/24"]
    note = _sent("2019:1")
    refused = _post(client, TENCENT, [_tencent("2019:1")], REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 403
    note.refresh_from_db()
    assert note.status == Status.SENT
    allowed = _post(client, TENCENT, [_tencent("2019:1")], REMOTE_ADDR="203.0.113.9")
    assert allowed.status_code == 200
    note.refresh_from_db()
    assert note.status == Status.DELIVERED


def test_csrf_is_not_required(db, settings):
    from django.test import Client

    note = _sent("2019:1")
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, TENCENT, [_tencent("2019:1")]).status_code == 200
    note.refresh_from_db()
    assert note.status == Status.DELIVERED


def test_the_start_up_check_refuses_a_weak_token_and_a_bad_address(settings):
    from liaison.notifications.apps import check_receipts

    settings.SMS_CALLBACK_TOKEN = "short"
    settings.SMS_CALLBACK_IPS = ["203.0.113.0/24", "gateway"]
    assert [error.id for error in check_receipts(None)] == [
        "notifications.E003",
        "notifications.E004",
    ]
    settings.SMS_CALLBACK_TOKEN = TOKEN
    settings.SMS_CALLBACK_IPS = ["203.0.113.0/24"]
    assert check_receipts(None) == []
