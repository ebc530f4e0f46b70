"""SMS through the official SDKs of Tencent Cloud SMS and Alibaba Cloud SMS (阿里云短信服务).

`LIAISON_SMS_BACKEND=tencentcloud` picks `TencentCloudSmsBackend` (Tencent Cloud SMS API
2021-01-11, action SendSms, package tencentcloud-sdk-python-sms); `LIAISON_SMS_BACKEND=aliyun`
picks `AliyunSmsBackend` (Alibaba Cloud Dysmsapi 2017-05-25, action SendSms, package
alibabacloud-dysmsapi20170525). Both read:

- LIAISON_SMS_SECRET_ID, LIAISON_SMS_SECRET_KEY: the API key (Tencent SecretId/SecretKey,
  Alibaba Cloud AccessKey ID/Secret);
- LIAISON_SMS_SIGN_NAME: the approved signature (短信签名);
- LIAISON_SMS_APP_ID: Tencent Cloud's SmsSdkAppId (Tencent only);
- LIAISON_SMS_REGION: Tencent Cloud's region, ap-guangzhou by default (Tencent only);
- LIAISON_SMS_ENDPOINT: the gateway's URL, e.g. https://sms.tencentcloudapi.com; empty means the
  SDK's public host (sms.tencentcloudapi.com, dysmsapi.aliyuncs.com);
- LIAISON_SMS_TIMEOUT_SECONDS: how long one request may take;
- LIAISON_SMS_TEMPLATE_<KIND>: the approved template ID of each kind (liaison/notifications/sms.py).

The gateways' own documentation: Tencent Cloud "短信 API 2021-01-11 › SendSms 发送短信" with its
error code list, and Alibaba Cloud "短信服务 API › SendSms 发送短信" with "短信服务错误码".

`send` returns the gateway's message ID (Tencent SerialNo, Alibaba Cloud BizId). It raises
`PermanentFailure` when the gateway refuses this number or this text for good, and
`SmsGatewayError` for everything worth another try (throttling, balance, keys, timeouts, 5xx): the
outbox retries those with backoff. Error texts never hold the full phone number (PIPL).
"""

import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from liaison.core.phones import MOBILE_RE, normalize_phone

from . import sms
from .backends import PermanentFailure

# Tencent Cloud codes that retrying cannot cure: the number, the signature, the template or the
# text is refused. Throttling (LimitExceeded.*, RequestLimitExceeded), balance and arrears, keys
# and internal errors are left out on purpose: they pass, or staff fix them, and the queue drains.
TENCENT_PERMANENT = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.PhoneNumberParseFail",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
    "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
    "UnsupportedOperation.UnsupportedRegion",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.MissingSignatureList",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.TemplateUnapprovedOrNotExist",
    "FailedOperation.TemplateIdNotExist",
    "FailedOperation.MissingTemplateList",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
    "FailedOperation.ContainSensitiveWord",
    "InvalidParameter.DirtyWordFound",
    "InvalidParameterValue.ContentLengthLimit",
    "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
}

# The same for Alibaba Cloud. isv.AMOUNT_NOT_ENOUGH and isv.OUT_OF_SERVICE (no balance) are not
# the number's fault, and isv.BUSINESS_LIMIT_CONTROL / isv.DAY_LIMIT_CONTROL are throttling:
# all retried.
ALIYUN_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_SIGN_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.TEMPLATE_PARAMS_ILLEGAL",
    "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.SMS_CONTENT_ILLEGAL",
    "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
}

# A mainland mobile number anywhere in a gateway's text (also URL-encoded): masked before it
# reaches a log or the outbox row.
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+|%2B)?(?:86)?(1\d{2})\d{4}(\d{4})(?!\d)", re.IGNORECASE)
# requests quotes the URL in a connection error; Alibaba Cloud's carries the number and the
# template parameters (a one-time code among them) in its query string: cut it off.
QUERY_IN_TEXT = re.compile(r"(?<=[A-Za-z0-9/])\?[^\s'\"()]*")
# Enough of a gateway's message to understand it; an HTML error page is not worth keeping whole.
MESSAGE_LIMIT = 300


class SmsGatewayError(Exception):
    """A failed attempt worth retrying (the gateway is busy, slow, down or not yet paid)."""


def scrub(text) -> str:
    """The gateway's text, shortened, URL queries cut off, every phone number masked."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = QUERY_IN_TEXT.sub("?…", " ".join(str(text).split()))
    return PHONE_IN_TEXT.sub(r"\1****\2", text)[:MESSAGE_LIMIT]


def refusal(gateway: str, code, message, notification, permanent: bool) -> Exception:
    text = f"{gateway} {code}: {scrub(message)} (to {notification.masked_recipient})"
    return PermanentFailure(text) if permanent else SmsGatewayError(text)


def mainland_e164(notification) -> str:
    """+86 and the 11 digits: both gateways take E.164; any other number cannot get a mainland
    template, so it is refused for good."""
    phone = normalize_phone(notification.recipient)
    if not MOBILE_RE.match(phone):
        raise PermanentFailure(
            f"SMS to {notification.masked_recipient}: not a mainland mobile number"
        )
    return "+86" + phone


def endpoint(url: str) -> tuple[str | None, str]:
    """LIAISON_SMS_ENDPOINT as the SDKs want it: (host[:port], scheme); (None, "https") if empty."""
    if not url:
        return None, "https"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        # Both SDKs post to "/" of the host: a path would be silently dropped.
        raise ImproperlyConfigured(
            f"LIAISON_SMS_ENDPOINT={url!r} must be a URL such as https://sms.tencentcloudapi.com "
            "(scheme and host, optionally a port, no path)."
        )
    return parts.netloc, parts.scheme


def missing_sdk(backend: str, package: str, error: ImportError) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"LIAISON_SMS_BACKEND={backend} needs the package {package} ({error})."
    )


def require(backend: str, *names: str) -> None:
    missing = [f"LIAISON_{name}" for name in names if not getattr(settings, name, "")]
    if missing:
        raise ImproperlyConfigured(f"The {backend} SMS backend needs {', '.join(missing)}.")


class TencentCloudSmsBackend:
    """Tencent Cloud SMS, API 2021-01-11, one number per SendSms call."""

    gateway = "Tencent Cloud SMS"

    def __init__(self):
        # Imported here: the SDK is only needed where this backend is chosen.
        try:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111.sms_client import SmsClient
        except ImportError as error:
            raise missing_sdk("tencentcloud", "tencentcloud-sdk-python-sms", error) from error

        require(
            "tencentcloud",
            "SMS_SECRET_ID",
            "SMS_SECRET_KEY",
            "SMS_SIGN_NAME",
            "SMS_APP_ID",
            "SMS_REGION",
        )
        host, scheme = endpoint(settings.SMS_ENDPOINT)
        http = HttpProfile(endpoint=host, protocol=scheme, reqTimeout=settings.SMS_TIMEOUT_SECONDS)
        # The region breaker stays off (the SDK's default): when on, it swallows network errors
        # and fails over to ap-guangzhou.tencentcloudapi.com, past LIAISON_SMS_ENDPOINT.
        profile = ClientProfile(httpProfile=http, disable_region_breaker=True)
        self.client = SmsClient(
            credential.Credential(settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY),
            settings.SMS_REGION,
            profile,
        )

    def send(self, notification) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        kind, params = notification.template, notification.params
        sms.check_params(kind, params)
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [mainland_e164(notification)]
        request.SmsSdkAppId = settings.SMS_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = sms.template_id(kind)
        request.TemplateParamSet = sms.ordered_params(kind, params)
        request.SessionContext = str(notification.pk)  # echoed back: a duplicate is recognisable
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            # Errors of the whole request (keys, signature, template, RequestLimitExceeded) and
            # the SDK's own: ClientNetworkError (timeouts), ServerNetworkError (non-200 answers),
            # JSONDecodeError (a body that is not JSON).
            code = error.get_code()
            raise refusal(
                self.gateway, code, error.get_message(), notification, code in TENCENT_PERMANENT
            ) from None  # the SDK's exception may quote the request, with the number
        statuses = response.SendStatusSet or []
        if len(statuses) != 1:
            # The SDK only reads Response.Error when Content-Type is exactly application/json;
            # anything else arrives here without a status.
            raise SmsGatewayError(
                f"{self.gateway}: an answer without one send status (RequestId "
                f"{response.RequestId}) for {notification.masked_recipient}"
            )
        status = statuses[0]
        if (status.Code or "").lower() != "ok":
            raise refusal(
                self.gateway,
                status.Code,
                status.Message,
                notification,
                status.Code in TENCENT_PERMANENT,
            )
        return status.SerialNo


class AliyunSmsBackend:
    """Alibaba Cloud SMS (Dysmsapi 2017-05-25), one number per SendSms call."""

    gateway = "Alibaba Cloud SMS"

    def __init__(self):
        try:
            from alibabacloud_dysmsapi20170525.client import Client
            from alibabacloud_tea_openapi import models as open_api_models
        except ImportError as error:
            raise missing_sdk("aliyun", "alibabacloud-dysmsapi20170525", error) from error

        require("aliyun", "SMS_SECRET_ID", "SMS_SECRET_KEY", "SMS_SIGN_NAME")
        host, scheme = endpoint(settings.SMS_ENDPOINT)
        timeout_ms = settings.SMS_TIMEOUT_SECONDS * 1000
        config = open_api_models.Config(
            access_key_id=settings.SMS_SECRET_ID,
            access_key_secret=settings.SMS_SECRET_KEY,
            # None: the client picks dysmsapi.aliyuncs.com; a port belongs in the host here.
            endpoint=host,
            protocol=scheme,
            read_timeout=timeout_ms,
            connect_timeout=timeout_ms,
        )
        self.client = Client(config)

    def send(self, notification) -> str:
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

        kind, params = notification.template, notification.params
        sms.check_params(kind, params)
        request = models.SendSmsRequest(
            phone_numbers=mainland_e164(notification),
            sign_name=settings.SMS_SIGN_NAME,
            template_code=sms.template_id(kind),
            # Named variables (${number}), as the template was registered.
            template_param=json.dumps(params, ensure_ascii=False),
            out_id=str(notification.pk),  # echoed in delivery reports: a duplicate is recognisable
        )
        try:
            response = self.client.send_sms(request)
        except AlibabaCloudException as error:
            # An HTTP 4xx/5xx with a JSON error: keys, signature, Throttling.*, ServiceUnavailable.
            raise refusal(
                self.gateway,
                error.code,
                error.message,
                notification,
                error.code in ALIYUN_PERMANENT,
            ) from None
        except Exception as error:
            # Timeouts and connection errors arrive wrapped (UnretryableException), a body that
            # is not JSON as a decoding error; their text can hold the request URL, with the number.
            raise SmsGatewayError(
                f"{self.gateway} {type(error).__name__}: {scrub(error)} "
                f"(to {notification.masked_recipient})"
            ) from None
        body = response.body
        if body is None or body.code != "OK":
            # SendSms answers HTTP 200 for refusals too: the verdict is in Code.
            code = body.code if body is not None else None
            message = body.message if body is not None else "an empty answer"
            raise refusal(self.gateway, code, message, notification, code in ALIYUN_PERMANENT)
        return body.biz_id
