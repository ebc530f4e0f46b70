"""WeChat template messages through wechatpy, against a local server that speaks WeChat's API:
the token, the template message, its refusals."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.notifications.backends import backend_name
from liaison.notifications.models import Notification
from liaison.notifications.services import claim_due, send_one, tell_accounts
from liaison.notifications.wechat import WeChatBackend


class WeChatServer:
    """`answer` is the errcode the next template message gets (0 = sent)."""

    def __init__(self):
        self.requests, self.answers, self.tokens = [], [], 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                assert url.path == "/cgi-bin/token" and query["appid"] == ["wxAPP"]
                assert query["secret"] == ["s3cret"]
                server.tokens += 1
                self._json({"access_token": f"TOKEN{server.tokens}", "expires_in": 7200})

            def do_POST(self):
                url = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                token = parse_qs(url.query)["access_token"][0]
                server.requests.append((url.path, token, body))
                code = server.answers.pop(0) if server.answers else 0
                if code:
                    self._json({"errcode": code, "errmsg": "refused"})
                else:
                    self._json({"errcode": 0, "errmsg": "ok", "msgid": 200228332})

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def wechat(settings):
    server = WeChatServer()
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wxAPP", "s3cret"
    settings.WECHAT_TEMPLATE_ID, settings.WECHAT_ENDPOINT = "TPL-todo", server.url
    settings.SITE_URL = "https://liaison.example.gov.cn"
    yield server
    server.close()


@pytest.fixture
def bound(accounts):
    user = accounts.handler_a
    user.wechat_openid = "oABC123"
    user.save()
    return user


def test_off_by_default_nothing_is_queued_for_wechat(accounts, bound, settings):
    settings.WECHAT_APP_ID = ""
    tell_accounts([bound], "k", "新的交办", "新的交办", link="/staff/cases/1/")
    assert not Notification.objects.filter(channel="wechat").exists()
    assert backend_name("wechat") == settings.NOTIFICATIONS_BACKEND


def test_a_bound_account_gets_the_template_message(wechat, bound, accounts):
    tell_accounts([bound, accounts.deputy_a], "k", "新的交办：1234567890", "…", link="/staff/x/")
    note = Notification.objects.get(channel="wechat")  # the deputy has no openid
    assert note.recipient == "oABC123"
    [claimed] = [n for n in claim_due() if n.channel == "wechat"]
    assert send_one(claimed, WeChatBackend())
    path, token, body = wechat.requests[0]
    assert path == "/cgi-bin/message/template/send" and token == "TOKEN1"
    assert body["touser"] == "oABC123" and body["template_id"] == "TPL-todo"
    assert body["url"] == "https://liaison.example.gov.cn/staff/x/"
    assert body["data"]["keyword1"]["value"] == "新的交办：1234567890"
    note.refresh_from_db()
    assert note.status == "sent" and note.provider_message_id == "200228332"


def test_an_unfollowed_account_is_refused_for_good(wechat, bound):
    tell_accounts([bound], "k", "催办", "催办")
    [claimed] = [n for n in claim_due() if n.channel == "wechat"]
    wechat.answers = [43004]  # require subscribe
    assert not send_one(claimed, WeChatBackend())
    claimed.refresh_from_db()
    assert claimed.status == "dead" and "43004" in claimed.last_error


def test_a_rate_limit_is_retried_and_an_expired_token_fetched_again(wechat, bound):
    backend = WeChatBackend()
    note = tell_accounts([bound], "k", "催办", "催办") and Notification.objects.get(
        channel="wechat"
    )
    wechat.answers = [45009]  # api freq out of limit
    with pytest.raises(ConnectionError, match="45009"):
        backend.send(note)
    wechat.answers = [40001]  # invalid credential: wechatpy fetches a new token and retries
    assert backend.send(note) == "200228332"
    assert wechat.tokens == 2 and wechat.requests[-1][1] == "TOKEN2"


def test_missing_configuration_names_the_variable(settings):
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wxAPP", ""
    settings.WECHAT_TEMPLATE_ID = "T"
    with pytest.raises(ImproperlyConfigured, match="LIAISON_WECHAT_APP_SECRET"):
        WeChatBackend()
