"""Delivery receipts (回执): the gateway tells us whether a text it accepted reached the phone.

Tencent Cloud SMS ("短信下发状态回调") and Alibaba Cloud SMS ("SmsReport", HTTP batch push) both
POST a JSON array of reports to a URL set in their console. Each report names the gateway's
message ID, which `send_one` kept in `Notification.provider_message_id` (Tencent SerialNo = `sid`,
Alibaba Cloud BizId = `biz_id`); Alibaba Cloud also echoes our notification id as `out_id`.

Applying is idempotent and only ever moves a row forward: a report changes a row that is `sent`
(accepted, no verdict yet) to `delivered` or `dead`, and nothing else. A repeated push, a replayed
request or a late report for a row that already has its verdict, or that staff queued again since
(it has a new message ID by then), changes nothing. A failed receipt is the carrier's verdict on
that send (empty or switched-off number, blacklisted, rejected…): the row is `dead`, the worker does
not send it again, and staff see it with the carrier's code on the page of undelivered messages,
from where they may queue it again.

Receipts are outbox bookkeeping like the worker's own `sent`, so they are logged, not audited.
Phone numbers in reports are never logged or stored.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from .gateways import scrub
from .models import Channel, Notification, Status

logger = logging.getLogger("liaison.notifications")

# Both gateways report Beijing time without a zone.
GATEWAY_TIME = ZoneInfo("Asia/Shanghai")
# More reports than any push holds (Alibaba Cloud batches up to a few hundred): refused as a whole.
MAX_REPORTS = 1000


class MalformedReceipts(ValueError):
    """The body is not what the gateway sends: answered 400, nothing applied."""


@dataclass(frozen=True)
class Receipt:
    message_id: str  # the gateway's ID of the send
    delivered: bool
    error: str  # the carrier's code and description, for staff (empty when delivered)
    at: datetime | None  # when the phone got it (or the report was made)
    notification_id: str = ""  # our id echoed back, where the gateway does (Alibaba Cloud out_id)


@dataclass
class Tally:
    delivered: int = 0
    dead: int = 0
    unchanged: int = 0  # known, but already had its verdict (duplicates, replays, late reports)
    unknown: int = 0  # no sent row with this message ID: pruned, sent elsewhere, or forged
    unknown_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "delivered": self.delivered,
            "dead": self.dead,
            "unchanged": self.unchanged,
            "unknown": self.unknown,
        }


def _text(report: dict, key: str, limit: int = 100) -> str:
    value = report.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise MalformedReceipts(f"{key} must be a string")
    return str(value).strip()[:limit]


def _time(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=GATEWAY_TIME)
    except ValueError:
        return None


def _reports(payload) -> list[dict]:
    if not isinstance(payload, list):
        raise MalformedReceipts("the body must be a JSON array of reports")
    if len(payload) > MAX_REPORTS:
        raise MalformedReceipts(f"more than {MAX_REPORTS} reports in one request")
    if not all(isinstance(report, dict) for report in payload):
        raise MalformedReceipts("every report must be a JSON object")
    return payload


def parse_tencent(payload) -> list[Receipt]:
    """[{"sid", "report_status": "SUCCESS"|"FAIL", "errmsg", "description", "user_receive_time",
    "mobile", "nationcode"}, …] (Tencent Cloud SMS, 短信下发状态回调)."""
    receipts = []
    for report in _reports(payload):
        sid = _text(report, "sid")
        status = _text(report, "report_status").upper()
        if not sid or status not in ("SUCCESS", "FAIL"):
            raise MalformedReceipts("each report needs sid and report_status SUCCESS or FAIL")
        delivered = status == "SUCCESS"
        error = "" if delivered else _error(report, "errmsg", "description")
        at = _time(_text(report, "user_receive_time"))
        receipts.append(Receipt(sid, delivered, error, at))
    return receipts


def parse_aliyun(payload) -> list[Receipt]:
    """[{"biz_id", "out_id", "success": true|false, "err_code", "err_msg", "report_time",
    "send_time", "phone_number", "sms_size"}, …] (Alibaba Cloud SMS, SmsReport)."""
    receipts = []
    for report in _reports(payload):
        biz_id = _text(report, "biz_id")
        success = report.get("success")
        if isinstance(success, str) and success.lower() in ("true", "false"):
            success = success.lower() == "true"  # a string in some consoles' test pushes
        if not biz_id or not isinstance(success, bool):
            raise MalformedReceipts("each report needs biz_id and success true or false")
        error = "" if success else _error(report, "err_code", "err_msg")
        at = _time(_text(report, "report_time"))
        receipts.append(Receipt(biz_id, success, error, at, _text(report, "out_id")))
    return receipts


def _error(report: dict, code_key: str, message_key: str) -> str:
    # scrub(): a carrier's text may quote the number.
    text = " ".join(filter(None, [_text(report, code_key), _text(report, message_key, 200)]))
    return scrub(f"delivery receipt: {text or 'failed'}")


def apply_receipts(gateway: str, receipts: list[Receipt]) -> Tally:
    """Record the verdicts of `receipts`: one query to find the rows, one conditional UPDATE per
    verdict, so two pushes of the same report at once still apply it once."""
    tally = Tally()
    ids = {receipt.message_id for receipt in receipts}
    rows = {
        row.provider_message_id: row
        for row in Notification.objects.filter(
            channel=Channel.SMS, provider_message_id__in=ids
        ).only("pk", "provider_message_id")
    }
    now = timezone.now()
    for receipt in receipts:
        row = rows.get(receipt.message_id)
        # Where the gateway echoes our id it must be this row's: a stray ID is not ours.
        if row is None or (receipt.notification_id and receipt.notification_id != str(row.pk)):
            tally.unknown += 1
            tally.unknown_ids.append(receipt.message_id)
            continue
        if receipt.delivered:
            fields = {"status": Status.DELIVERED, "delivered_at": receipt.at or now}
        else:
            fields = {"status": Status.DEAD, "last_error": receipt.error}
        changed = Notification.objects.filter(pk=row.pk, status=Status.SENT).update(**fields)
        if not changed:
            tally.unchanged += 1
        elif receipt.delivered:
            tally.delivered += 1
        else:
            tally.dead += 1
            logger.warning(
                "%s receipt: notification %s not delivered: %s", gateway, row.pk, receipt.error
            )
    logger.info("%s receipts: %s", gateway, tally.as_dict())
    if tally.unknown:
        logger.warning(
            "%s receipts for %s unknown message IDs: %s",
            gateway,
            tally.unknown,
            ", ".join(tally.unknown_ids[:20]),
        )
    return tally
