"""The callback endpoints of the SMS gateways' delivery receipts (docs/notifications.md).

Neither gateway signs its pushes, so the URL carries a secret of this deployment
(LIAISON_SMS_CALLBACK_TOKEN, compared in constant time), optionally narrowed to the gateway's
addresses (LIAISON_SMS_CALLBACK_IPS). Without a token the endpoints do not exist (404). A replayed
request is harmless: applying a receipt is idempotent (receipts.py). Each gateway gets the answer
it expects; anything but its "accepted" makes it push the same reports again later.
"""

import hmac
import ipaddress
import json
import logging

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from liaison.core.ratelimit import client_ip

from . import receipts

logger = logging.getLogger("liaison.notifications")

# A push of a few hundred reports is well under this; anything bigger is not a gateway's.
MAX_BODY_BYTES = 256 * 1024


def _tencent_answer(ok: bool, message: str, tally=None, status: int = 200) -> JsonResponse:
    # Tencent Cloud: {"result": 0, "errmsg": "OK"}; anything else counts as not received.
    body = {"result": 0 if ok else 1, "errmsg": message}
    return JsonResponse({**body, **(tally.as_dict() if tally else {})}, status=status)


def _aliyun_answer(ok: bool, message: str, tally=None, status: int = 200) -> JsonResponse:
    # Alibaba Cloud SmsReport: {"code": 0, "msg": "成功"}; another code makes it push again.
    body = {"code": 0 if ok else 1, "msg": message}
    return JsonResponse(
        {**body, **(tally.as_dict() if tally else {})},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


GATEWAYS = {
    "tencentcloud": (receipts.parse_tencent, _tencent_answer, "OK"),
    "aliyun": (receipts.parse_aliyun, _aliyun_answer, "成功"),
}


def _allowed_address(request) -> bool:
    allowed = settings.SMS_CALLBACK_IPS
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    # The check at start-up (apps.check_backend) made sure every entry parses.
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


@csrf_exempt  # the gateway has no CSRF token; the secret in the URL authenticates it
@require_POST
def receive(request, gateway: str, token: str):
    expected = settings.SMS_CALLBACK_TOKEN
    if not expected or gateway not in GATEWAYS:
        raise Http404
    parse, answer, accepted = GATEWAYS[gateway]
    if not hmac.compare_digest(token.encode(), expected.encode()):
        logger.warning("%s receipts: wrong token from %s", gateway, client_ip(request))
        return answer(False, "forbidden", status=403)
    if not _allowed_address(request):
        logger.warning("%s receipts: refused address %s", gateway, client_ip(request))
        return answer(False, "forbidden", status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return answer(False, "body too large", status=400)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return answer(False, "body too large", status=400)
    try:
        found = parse(json.loads(body.decode("utf-8")))
    # MalformedReceipts is a ValueError; a deeply nested array exhausts the parser's recursion.
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        logger.warning("%s receipts: malformed body: %s", gateway, error)
        return answer(False, f"malformed body: {type(error).__name__}: {error}"[:200], status=400)
    tally = receipts.apply_receipts(gateway, found)
    return answer(True, accepted, tally)
