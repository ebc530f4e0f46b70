"""Local stand-ins for the Tencent Cloud and Alibaba Cloud SMS APIs, for the SDKs to talk to.

Each is a stdlib HTTP server on 127.0.0.1 (a free port) in a thread. It checks what the SDK
really sends — the action and version, the signature (recomputed with the secret, so a request
signed with another key or for another body fails), the number in +86 form, the template, the
sign name, the parameters — records every request in `requests` (and anything wrong in
`problems`), and answers as told by `answer(mode, code=…)`:

    ok           a delivered message with its ID
    refused      a refusal of this number (Tencent: in SendStatusSet; Aliyun: Code in a 200)
    throttled    a per-number rate limit
    error        an error of the whole request (Tencent: Response.Error; Aliyun: HTTP 400 JSON)
    malformed    HTTP 200 whose body is not JSON
    unavailable  HTTP 502 with an HTML page, as a proxy in front of the gateway would
    slow         nothing until after the client's timeout (woken early when the server stops)

`fail_randomly(0.2)` answers "error" (a retryable throttling error of the whole request) to that
fraction of the requests, at random, whatever the mode; `ids(answer)` counts the requests by the
notification id the backend sent (Tencent SessionContext, Alibaba Cloud OutId), to find repeats.

    with TencentCloudServer() as server:
        settings.SMS_ENDPOINT = server.url
"""

import hashlib
import hmac
import json
import random
import re
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

SECRET_ID = "AKIDtestsecretid"
SECRET_KEY = "test-secret-key"
E164_MAINLAND = re.compile(r"^\+861[3-9]\d{9}$")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the client's delayed ACK adds 40 ms.
    disable_nagle_algorithm = True

    def do_POST(self):
        self.respond()

    def do_GET(self):
        self.respond()

    def respond(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, content_type, payload = self.server.gateway.handle(
            self.command, self.path, self.headers, body
        )
        if status is None:  # "slow": the client has given up by now
            return
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client hung up

    def log_message(self, format, *args):
        pass  # keep the test output clean


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that hung up (a worker killed mid-request): nothing to print


class FakeGateway:
    slow_seconds = 5.0  # longer than any client timeout the tests set

    def __init__(self, secret_id: str = SECRET_ID, secret_key: str = SECRET_KEY):
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.mode, self.code, self.message = "ok", None, None
        self.failing, self.random = 0.0, random.Random()
        self.lock = threading.Lock()  # the handler threads share `random`
        self._stopping = threading.Event()
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.gateway = self
        # A short poll interval: shutdown() waits for it, at every test's end.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, mode: str, code: str | None = None, message: str | None = None) -> None:
        self.mode, self.code, self.message = mode, code, message

    def fail_randomly(self, fraction: float, seed: int | None = None) -> None:
        """Answer a retryable "error" to `fraction` of the requests, chosen at random."""
        self.failing, self.random = fraction, random.Random(seed)

    def ids(self, answer: str | None = None) -> Counter:
        """How often each notification id reached the gateway (with this answer, e.g. "ok")."""
        return Counter(
            r["id"] for r in list(self.requests) if answer is None or r["answer"] == answer
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()  # wakes a "slow" answer
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method, path, headers, body):
        problems = []
        record = self.check(method, path, headers, body, problems)
        mode = self.mode
        if self.failing:
            with self.lock:
                if self.random.random() < self.failing:
                    mode = "error"
        record.update(problems=problems, answer="rejected" if problems else mode)
        record["id"] = self.notification_id(record)
        self.requests.append(record)
        self.problems.extend(problems)
        if problems:
            return self.reject(problems)
        if mode == "slow":
            self._stopping.wait(self.slow_seconds)
            return None, None, None
        if mode == "malformed":
            return 200, "application/json", b"<html>not json</html>"
        if mode == "unavailable":
            return 502, "text/html", b"<html><body>502 Bad Gateway</body></html>"
        return self.reply(record, mode)

    def require(self, problems, condition, what):
        if not condition:
            problems.append(what)

    @staticmethod
    def json(status, data):
        return status, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8")


class TencentCloudServer(FakeGateway):
    """SendSms of the Tencent Cloud SMS API 2021-01-11 (TC3-HMAC-SHA256, JSON body)."""

    region = "ap-guangzhou"

    def check(self, method, path, headers, body, problems):
        self.require(problems, method == "POST" and path == "/", f"{method} {path}, not POST /")
        self.require(problems, headers.get("X-TC-Action") == "SendSms", "X-TC-Action")
        self.require(problems, headers.get("X-TC-Version") == "2021-01-11", "X-TC-Version")
        self.require(problems, headers.get("X-TC-Region") == self.region, "X-TC-Region")
        self.require(problems, self.signature_ok(method, headers, body), "TC3 signature")
        try:
            data = json.loads(body)
        except ValueError:
            problems.append("body is not JSON")
            data = {}
        phones = data.get("PhoneNumberSet") or []
        self.require(
            problems,
            len(phones) == 1 and E164_MAINLAND.match(phones[0]),
            "one +86 number",
        )
        for field in ("SmsSdkAppId", "SignName", "TemplateId"):
            self.require(problems, isinstance(data.get(field), str) and data[field], field)
        params = data.get("TemplateParamSet")
        self.require(
            problems,
            isinstance(params, list) and all(isinstance(p, str) for p in params),
            "TemplateParamSet of strings",
        )
        return {"headers": dict(headers), "body": data}

    @staticmethod
    def notification_id(record) -> str:
        return record["body"].get("SessionContext", "")

    def signature_ok(self, method, headers, body) -> bool:
        """Recompute the TC3-HMAC-SHA256 signature (Tencent Cloud API 3.0 "签名方法 v3")."""
        found = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/sms/tc3_request, "
            r"SignedHeaders=content-type;host, Signature=([0-9a-f]{64})",
            headers.get("Authorization", ""),
        )
        if not found or found[1] != self.secret_id:
            return False
        timestamp = headers.get("X-TC-Timestamp", "0")
        date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
        canonical = "\n".join(
            [
                method,
                "/",
                "",
                f"content-type:{headers.get('Content-Type')}\nhost:{headers.get('Host')}\n",
                "content-type;host",
                sha256_hex(body),
            ]
        )
        scope = f"{date}/sms/tc3_request"
        to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{sha256_hex(canonical)}"
        key = hmac_sha256(("TC3" + self.secret_key).encode("utf-8"), date)
        key = hmac_sha256(hmac_sha256(key, "sms"), "tc3_request")
        expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        return date == found[2] and hmac.compare_digest(expected, found[3])

    def reject(self, problems):
        return self.error(
            "AuthFailure.SignatureFailure" if "TC3 signature" in problems else "InvalidParameter",
            "; ".join(problems),
        )

    def error(self, code, message):
        response = {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}
        return self.json(200, {"Response": response})

    def reply(self, record, mode):
        # A random failure speaks with the mode's own default code, not the one set for another.
        code, message = (self.code, self.message) if mode == self.mode else (None, None)
        data = record["body"]
        phone = data["PhoneNumberSet"][0]
        if mode == "error":
            return self.error(code or "RequestLimitExceeded", message or "请求频率过高")
        status = {
            "SerialNo": "",
            "PhoneNumber": phone,
            "Fee": 0,
            "SessionContext": data.get("SessionContext", ""),
            "IsoCode": "CN",
        }
        if mode == "ok":
            serial = f"2433:{uuid.uuid4().int % 10**28}"
            status.update(SerialNo=serial, Fee=1, Code="Ok", Message="send success")
        elif mode == "refused":
            # The real gateway may echo the number: the backend must mask it.
            status.update(
                Code=code or "InvalidParameterValue.IncorrectPhoneNumber",
                Message=message or f"手机号格式错误 {phone}",
            )
        elif mode == "throttled":
            status.update(
                Code=code or "LimitExceeded.PhoneNumberDailyLimit",
                Message=message or "单个手机号日下发短信条数超过设定的上限",
            )
        else:
            raise ValueError(f"unknown mode {mode!r}")
        return self.json(200, {"Response": {"SendStatusSet": [status], "RequestId": "r-1"}})


class AliyunServer(FakeGateway):
    """SendSms of Alibaba Cloud Dysmsapi 2017-05-25 as the V3 SDK sends it: POST / with the
    parameters in the query string, x-acs-action/x-acs-version headers, ACS3-HMAC-SHA256."""

    def check(self, method, path, headers, body, problems):
        url = urlsplit(path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        self.require(problems, method == "POST" and url.path == "/", f"{method} {url.path}")
        self.require(problems, headers.get("x-acs-action") == "SendSms", "x-acs-action")
        self.require(problems, headers.get("x-acs-version") == "2017-05-25", "x-acs-version")
        self.require(
            problems, self.signature_ok(method, url.path, query, headers, body), "ACS3 signature"
        )
        self.require(
            problems, E164_MAINLAND.match(query.get("PhoneNumbers", "")), "PhoneNumbers in +86 form"
        )
        for field in ("SignName", "TemplateCode", "TemplateParam"):
            self.require(problems, query.get(field), field)
        try:
            params = json.loads(query.get("TemplateParam", ""))
            self.require(
                problems,
                isinstance(params, dict) and all(isinstance(v, str) for v in params.values()),
                "TemplateParam: a JSON object of strings",
            )
        except ValueError:
            problems.append("TemplateParam is not JSON")
        return {"headers": dict(headers), "query": query}

    @staticmethod
    def notification_id(record) -> str:
        return record["query"].get("OutId", "")

    def signature_ok(self, method, path, query, headers, body) -> bool:
        """Recompute the ACS3-HMAC-SHA256 signature (Alibaba Cloud "V3 版本请求体&签名机制")."""
        found = re.fullmatch(
            r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})",
            headers.get("Authorization", ""),
        )
        if not found or found[1] != self.secret_id:
            return False
        signed = found[2].split(";")
        # The signature must cover the action, the date and the body's hash, not just any header.
        if not {"host", "x-acs-action", "x-acs-date", "x-acs-content-sha256"} <= set(signed):
            return False
        if headers.get("x-acs-content-sha256") != sha256_hex(body):
            return False
        canonical_query = "&".join(f"{key}={quote(query[key], safe='~')}" for key in sorted(query))
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical = "\n".join(
            [
                method,
                path or "/",
                canonical_query,
                canonical_headers,
                ";".join(signed),
                headers["x-acs-content-sha256"],
            ]
        )
        to_sign = f"ACS3-HMAC-SHA256\n{sha256_hex(canonical)}"
        expected = hmac.new(
            self.secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, found[3])

    def reject(self, problems):
        if "ACS3 signature" in problems:
            return self.error(400, "SignatureDoesNotMatch", "; ".join(problems))
        return self.json(200, self.verdict("isv.INVALID_PARAMETERS", "; ".join(problems)))

    def error(self, status, code, message):
        return self.json(
            status,
            {
                "RequestId": str(uuid.uuid4()),
                "Message": message,
                "Recommend": "https://api.aliyun.com/troubleshoot",
                "HostId": "dysmsapi.aliyuncs.com",
                "Code": code,
            },
        )

    @staticmethod
    def verdict(code, message, biz_id=None):
        answer = {"Code": code, "Message": message, "RequestId": str(uuid.uuid4())}
        if biz_id:
            answer["BizId"] = biz_id
        return answer

    def reply(self, record, mode):
        # A random failure speaks with the mode's own default code, not the one set for another.
        code, message = (self.code, self.message) if mode == self.mode else (None, None)
        phone = record["query"]["PhoneNumbers"]
        if mode == "ok":
            return self.json(200, self.verdict("OK", "OK", f"{uuid.uuid4().int % 10**15}^0"))
        if mode == "refused":
            # The real gateway may echo the number: the backend must mask it.
            return self.json(
                200,
                self.verdict(code or "isv.MOBILE_NUMBER_ILLEGAL", message or f"非法手机号 {phone}"),
            )
        if mode == "throttled":
            return self.json(
                200,
                self.verdict(
                    code or "isv.BUSINESS_LIMIT_CONTROL",
                    message or "触发小时级流控Permits:5",
                ),
            )
        if mode == "error":
            return self.error(
                400,
                code or "Throttling.User",
                message or "Request was denied due to user flow control.",
            )
        raise ValueError(f"unknown mode {mode!r}")
