"""WeChat template messages (服务号模板消息) through `wechatpy`, for staff and deputies whose
account has the openid of the district's service account (entered by an administrator).

Off by default. `LIAISON_WECHAT_APP_ID` and `LIAISON_WECHAT_APP_SECRET` switch it on;
`LIAISON_WECHAT_TEMPLATE_ID` is the one approved template every notice uses (WeChat, like the SMS
gateways, sends approved templates only), with the fields `first` (the notice), `keyword1` (what,
cut to 20 characters), `keyword2` (when) and `remark`; the message opens the notice's page.
`LIAISON_WECHAT_ENDPOINT` points the client at another host (a test server).

The access token is kept per worker process (wechatpy's memory storage); a worker that finds it
invalid fetches a new one and retries once (wechatpy's `auto_retry`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from .backends import PermanentFailure
from .sms import fit

TIMEOUT_SECONDS = 10
# Refusals that another try cannot cure: a wrong openid, a person who unfollowed or refused
# template messages, an unknown template, arguments WeChat will not take.
PERMANENT = {40003, 40036, 40037, 43004, 43101, 47003}


class _Client(WeChatClient):
    """wechatpy's client on another host: its token URL is written out in full upstream."""

    def __init__(self, endpoint: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.endpoint = endpoint.rstrip("/")
        self.API_BASE_URL = f"{self.endpoint}/cgi-bin/"

    def fetch_access_token(self):
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        return self._fetch_access_token(url=f"{self.endpoint}/cgi-bin/token", params=params)


class WeChatBackend:
    def __init__(self):
        missing = [
            name
            for name, value in [
                ("LIAISON_WECHAT_APP_ID", settings.WECHAT_APP_ID),
                ("LIAISON_WECHAT_APP_SECRET", settings.WECHAT_APP_SECRET),
                ("LIAISON_WECHAT_TEMPLATE_ID", settings.WECHAT_TEMPLATE_ID),
            ]
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"WeChat notices need {', '.join(missing)}.")
        if urlsplit(settings.WECHAT_ENDPOINT).scheme not in ("http", "https"):
            raise ImproperlyConfigured("LIAISON_WECHAT_ENDPOINT must be an http(s) URL.")
        self.client = _Client(
            settings.WECHAT_ENDPOINT,
            settings.WECHAT_APP_ID,
            settings.WECHAT_APP_SECRET,
            timeout=TIMEOUT_SECONDS,
        )

    def send(self, notification) -> str:
        subject = notification.subject or notification.body.splitlines()[0]
        with translation.override(settings.LANGUAGE_CODE):
            when = timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M")
            data = {
                "first": {"value": fit(subject, 60)},
                "keyword1": {"value": fit(subject, 20)},
                "keyword2": {"value": when},
                "remark": {"value": gettext("Open it to see the details and act.")},
            }
        url = settings.SITE_URL + notification.link if notification.link else None
        try:
            result = self.client.message.send_template(
                notification.recipient, settings.WECHAT_TEMPLATE_ID, data, url=url
            )
        except WeChatClientException as refused:
            text = f"WeChat {refused.errcode}: {refused.errmsg}"
            if refused.errcode in PERMANENT:
                raise PermanentFailure(text) from None
            raise ConnectionError(text) from None
        return str(result.get("msgid", ""))
