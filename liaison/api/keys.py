"""Creating, checking and revoking API keys (every change audited)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.versions import Memo

from .models import ApiKey, Scope

KEY_PREFIX = "lia_"
# 30 random bytes give exactly 40 url-safe base64 characters.
KEY_BYTES = 30
# Writing last_used_at on every request would make each API call a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# The keys as last read, per process, while no key and no account changed (apps.py, revoke_key):
# a partner's every call would otherwise begin with a query for its key.
_KEYS = Memo("api-keys-version")


def keys_changed() -> None:
    _KEYS.changed()


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_key(*, name: str, user=None, scopes: list[str], actor=None) -> tuple[ApiKey, str]:
    """A new key and its raw value, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name.")})
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %s.") % ", ".join(unknown)})
    raw = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name[:100],
            prefix=raw[:8],
            key_hash=hash_key(raw),
            user=user,
            scopes=sorted(set(scopes)),
        )
        audit.record(
            "apikey.created", actor=actor or user, obj=key, prefix=key.prefix, scopes=key.scopes
        )
    return key, raw


def authenticate_key(raw: str) -> ApiKey | None:
    """The active key with this raw value, or None."""
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    digest = hash_key(raw)
    key = _KEYS.get(
        digest,
        lambda: (
            ApiKey.objects.select_related("user")
            .filter(key_hash=digest, revoked_at__isnull=True)
            .first()
        ),
    )
    if key is None or (key.user is not None and not key.user.is_active):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def revoke_key(key: ApiKey, *, actor) -> ApiKey:
    with transaction.atomic():
        updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        key.refresh_from_db(fields=["revoked_at"])
        keys_changed()
        if updated:
            audit.record("apikey.revoked", actor=actor, obj=key, prefix=key.prefix)
    return key
