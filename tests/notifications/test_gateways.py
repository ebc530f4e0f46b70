"""The Tencent Cloud and Alibaba Cloud SMS backends, through their real SDKs, against local
stand-ins of the gateways (gateway_servers.py): what goes out, and how each answer is sorted into
delivered, refused for good (PermanentFailure) or worth retrying."""

import re
import socket
import sys
import time
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.notifications.backends import PermanentFailure, get_backend
from liaison.notifications.gateways import AliyunSmsBackend, SmsGatewayError, TencentCloudSmsBackend
from liaison.notifications.models import Channel, Notification

from .gateway_servers import SECRET_ID, SECRET_KEY, AliyunServer, TencentCloudServer

PHONE = "13800138000"
MASKED = "138****8000"
LOOPBACK = ("127.0.0.1", "::1")
PARAMS = {"number": "LS-2025-000123", "url": "https://liaison.example.cn/t/abc"}

GATEWAYS = {
    "tencentcloud": (TencentCloudServer, TencentCloudSmsBackend),
    "aliyun": (AliyunServer, AliyunSmsBackend),
}


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Only the loopback address may be reached. The SDKs wrap any error into their own (a slip
    would look like a retryable failure), so attempts are recorded and checked at the end."""
    attempts = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            attempts.append(address)
            raise OSError(f"test: no outbound connection to {address}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (*LOOPBACK, "localhost"):
            attempts.append(host)
            raise OSError(f"test: no DNS look-up of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert attempts == [], "the backends tried to reach beyond the local servers"


@pytest.fixture
def sms_settings(settings):
    settings.SMS_SECRET_ID = SECRET_ID
    settings.SMS_SECRET_KEY = SECRET_KEY
    settings.SMS_SIGN_NAME = "联络站"
    settings.SMS_APP_ID = "1400000001"
    settings.SMS_REGION = "ap-guangzhou"
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_TEMPLATE_IDS = {"case_received": "2345678"}
    settings.SMS_ENDPOINT = "http://127.0.0.1:9"  # never used: each test points at its server
    return settings


@pytest.fixture(params=sorted(GATEWAYS))
def gateway(request, sms_settings):
    """(server, backend) for each gateway; the backend talks to the server only."""
    server_class, backend_class = GATEWAYS[request.param]
    with server_class() as server:
        sms_settings.SMS_ENDPOINT = server.url
        yield server, backend_class()


def notification(recipient=PHONE, template="case_received", params=None, pk=42):
    return SimpleNamespace(
        pk=pk,
        recipient=recipient,
        template=template,
        params=dict(PARAMS if params is None else params),
        masked_recipient=recipient[:3] + "****" + recipient[-4:],
    )


# --- what goes out ----------------------------------------------------------------------------


def test_tencent_sends_one_signed_request_with_the_template(sms_settings):
    with TencentCloudServer() as server:
        sms_settings.SMS_ENDPOINT = server.url
        message_id = TencentCloudSmsBackend().send(notification())
    assert server.problems == []
    [sent] = server.requests
    assert message_id.startswith("2433:")
    assert sent["headers"]["X-TC-Action"] == "SendSms"
    assert sent["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID")
    assert sent["body"] == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400000001",
        "SignName": "联络站",
        "TemplateId": "2345678",
        "TemplateParamSet": ["LS-2025-000123", "https://liaison.example.cn/t/abc"],
        "SessionContext": "42",
    }


def test_aliyun_sends_one_signed_request_with_named_parameters(sms_settings):
    with AliyunServer() as server:
        sms_settings.SMS_ENDPOINT = server.url
        message_id = AliyunSmsBackend().send(notification())
    assert server.problems == []
    [sent] = server.requests
    assert message_id.endswith("^0")
    assert sent["headers"]["x-acs-action"] == "SendSms"
    assert sent["headers"]["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=AKID")
    assert sent["query"] == {
        "PhoneNumbers": "+8613800138000",
        "SignName": "联络站",
        "TemplateCode": "2345678",
        "TemplateParam": '{"number": "LS-2025-000123", "url": "https://liaison.example.cn/t/abc"}',
        "OutId": "42",
    }


def test_a_wrong_key_fails_the_signature_check_and_is_retried(sms_settings):
    """The stand-ins verify signatures for real: signed with another secret, refused."""
    for server_class, backend_class in GATEWAYS.values():
        with server_class(secret_key="another-key") as server:
            sms_settings.SMS_ENDPOINT = server.url
            with pytest.raises(SmsGatewayError, match="Signature"):
                backend_class().send(notification())
        assert any("signature" in problem for problem in server.problems)


# --- how answers are sorted -------------------------------------------------------------------


def test_delivered_returns_the_gateway_message_id(gateway):
    server, backend = gateway
    assert backend.send(notification())
    assert len(server.requests) == 1


def test_an_outbox_row_is_sent_as_it_is(gateway):
    """The real model (unsaved: no database needed) fits the backends' expectations."""
    server, backend = gateway
    row = Notification(
        pk=7, channel=Channel.SMS, recipient=PHONE, template="case_received", params=PARAMS
    )
    assert backend.send(row)
    [sent] = server.requests
    assert "7" in (sent.get("body", {}).get("SessionContext"), sent.get("query", {}).get("OutId"))


def test_a_refused_number_is_a_permanent_failure_without_the_number(gateway):
    server, backend = gateway
    server.answer("refused")
    with pytest.raises(PermanentFailure) as refused:
        backend.send(notification())
    text = str(refused.value)
    assert "IncorrectPhoneNumber" in text or "isv.MOBILE_NUMBER_ILLEGAL" in text
    assert "手机号" in text  # the gateway's message is kept…
    assert PHONE not in text  # …but the number it echoed is masked
    assert MASKED in text


@pytest.mark.parametrize(
    "gateway_name, mode, code",
    [
        ("tencentcloud", "refused", "FailedOperation.PhoneNumberInBlacklist"),
        ("tencentcloud", "error", "FailedOperation.TemplateIncorrectOrUnapproved"),
        ("tencentcloud", "error", "FailedOperation.SignatureIncorrectOrUnapproved"),
        (
            "tencentcloud",
            "error",
            "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
        ),
        ("aliyun", "refused", "isv.BLACK_KEY_CONTROL_LIMIT"),
        ("aliyun", "refused", "isv.SMS_TEMPLATE_ILLEGAL"),
        ("aliyun", "refused", "isv.SMS_SIGNATURE_ILLEGAL"),
        ("aliyun", "refused", "isv.TEMPLATE_MISSING_PARAMETERS"),
    ],
)
def test_refusals_for_good(sms_settings, gateway_name, mode, code):
    server_class, backend_class = GATEWAYS[gateway_name]
    with server_class() as server:
        sms_settings.SMS_ENDPOINT = server.url
        server.answer(mode, code=code, message="refused")
        with pytest.raises(PermanentFailure, match=re.escape(code)):
            backend_class().send(notification())


@pytest.mark.parametrize(
    "gateway_name, mode, code",
    [
        ("tencentcloud", "throttled", "LimitExceeded.PhoneNumberDailyLimit"),
        ("tencentcloud", "throttled", "LimitExceeded.PhoneNumberThirtySecondLimit"),
        ("tencentcloud", "error", "RequestLimitExceeded"),
        ("tencentcloud", "error", "FailedOperation.InsufficientBalanceInSmsPackage"),
        ("tencentcloud", "error", "InternalError.Timeout"),
        ("aliyun", "throttled", "isv.BUSINESS_LIMIT_CONTROL"),
        ("aliyun", "throttled", "isv.AMOUNT_NOT_ENOUGH"),
        ("aliyun", "throttled", "isp.SYSTEM_ERROR"),
        ("aliyun", "error", "Throttling.User"),
    ],
)
def test_throttling_balance_and_gateway_trouble_are_retried(sms_settings, gateway_name, mode, code):
    server_class, backend_class = GATEWAYS[gateway_name]
    with server_class() as server:
        sms_settings.SMS_ENDPOINT = server.url
        server.answer(mode, code=code)
        with pytest.raises(SmsGatewayError, match=re.escape(code)) as failed:
            backend_class().send(notification())
    assert not isinstance(failed.value, PermanentFailure)
    assert PHONE not in str(failed.value)


@pytest.mark.parametrize("mode", ["malformed", "unavailable"])
def test_a_broken_answer_is_retried(gateway, mode):
    server, backend = gateway
    server.answer(mode)
    with pytest.raises(SmsGatewayError) as failed:
        backend.send(notification())
    assert PHONE not in str(failed.value)
    assert len(server.requests) == 1


def test_a_slow_gateway_times_out_and_is_retried(gateway):
    server, backend = gateway
    server.answer("slow")
    began = time.monotonic()
    with pytest.raises(SmsGatewayError, match="timed out"):
        backend.send(notification())
    assert time.monotonic() - began < 3  # SMS_TIMEOUT_SECONDS = 1


def test_a_closed_port_is_retried_without_the_number_or_code_in_the_error(sms_settings):
    """requests puts the URL (Aliyun's query holds the number and parameters) into the error."""
    with AliyunServer() as server:
        url = server.url
    sms_settings.SMS_ENDPOINT = url  # the server is gone: connection refused
    for backend_class in (TencentCloudSmsBackend, AliyunSmsBackend):
        with pytest.raises(SmsGatewayError) as failed:
            backend_class().send(notification())
        assert "Connection refused" in str(failed.value)
        assert PHONE not in str(failed.value)
        assert "%2B86" not in str(failed.value)
        assert "LS-2025-000123" not in str(failed.value)  # a parameter may be a one-time code


# --- refused before sending -------------------------------------------------------------------


def test_parameters_beyond_the_gateway_limits_are_refused_before_sending(gateway):
    server, backend = gateway
    too_long = {"number": "x" * 80, "url": PARAMS["url"]}
    with pytest.raises(PermanentFailure):
        backend.send(notification(params=too_long))
    assert server.requests == []


def test_a_number_outside_the_mainland_is_refused_before_sending(gateway):
    server, backend = gateway
    with pytest.raises(PermanentFailure, match="mainland"):
        backend.send(notification(recipient="85291234567"))
    assert server.requests == []


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize("backend_class", [TencentCloudSmsBackend, AliyunSmsBackend])
def test_missing_credentials_stop_the_backend_at_construction(sms_settings, backend_class):
    sms_settings.SMS_SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="LIAISON_SMS_SECRET_KEY"):
        backend_class()


def test_tencent_needs_its_app_id(sms_settings):
    sms_settings.SMS_APP_ID = ""
    with pytest.raises(ImproperlyConfigured, match="LIAISON_SMS_APP_ID"):
        TencentCloudSmsBackend()
    AliyunSmsBackend()  # Alibaba Cloud has no app ID


def test_a_missing_sdk_is_a_configuration_error(sms_settings, monkeypatch):
    monkeypatch.setitem(sys.modules, "tencentcloud.sms.v20210111.sms_client", None)
    with pytest.raises(ImproperlyConfigured, match="tencentcloud-sdk-python-sms"):
        TencentCloudSmsBackend()


@pytest.mark.parametrize("url", ["ftp://sms.example.cn", "sms.tencentcloudapi.com", "http://h/x"])
def test_an_endpoint_that_is_not_a_plain_url_is_refused(sms_settings, url):
    sms_settings.SMS_ENDPOINT = url
    with pytest.raises(ImproperlyConfigured, match="LIAISON_SMS_ENDPOINT"):
        TencentCloudSmsBackend()


def test_an_empty_endpoint_means_the_sdk_public_host(sms_settings):
    sms_settings.SMS_ENDPOINT = ""
    tencent = TencentCloudSmsBackend().client
    assert tencent._get_endpoint() == "sms.tencentcloudapi.com"
    assert tencent.profile.httpProfile.scheme == "https"
    aliyun = AliyunSmsBackend().client
    assert aliyun._endpoint == "dysmsapi.aliyuncs.com"
    assert aliyun._protocol == "https"


def test_the_endpoint_host_port_and_timeouts_reach_the_sdks(sms_settings):
    sms_settings.SMS_ENDPOINT = "http://127.0.0.1:9000"
    sms_settings.SMS_TIMEOUT_SECONDS = 7
    http = TencentCloudSmsBackend().client.profile.httpProfile
    assert (http.endpoint, http.scheme, http.reqTimeout) == ("127.0.0.1:9000", "http", 7)
    aliyun = AliyunSmsBackend().client
    assert (aliyun._endpoint, aliyun._protocol) == ("127.0.0.1:9000", "http")
    assert (aliyun._read_timeout, aliyun._connect_timeout) == (7000, 7000)


@pytest.mark.parametrize("name", sorted(GATEWAYS))
def test_the_backend_names_pick_these_classes(sms_settings, name):
    assert isinstance(get_backend(name), GATEWAYS[name][1])


def test_a_randomly_failing_gateway_fails_that_fraction_with_retryable_errors(gateway):
    """The benchmark's flaky gateway (bench/notifications_outbox.py): some calls fail, all of them
    worth a retry, and each request is counted under the notification id the backend sent."""
    server, backend = gateway
    server.fail_randomly(0.5, seed=7)
    outcomes = []
    for pk in range(1, 41):
        try:
            backend.send(notification(pk=pk))
            outcomes.append("ok")
        except SmsGatewayError:
            outcomes.append("error")  # never PermanentFailure: that would not be retried
    assert 10 < outcomes.count("error") < 30
    assert server.ids() == {str(pk): 1 for pk in range(1, 41)}
    assert sum(server.ids("ok").values()) == outcomes.count("ok")
    assert not server.problems
