"""The reporter's identity: encrypted at rest, opened by the intake role only, every opening logged.

《环境保护法》第五十七条 and 《信访工作条例》第三十条: the bureau keeps a reporter's information
secret and never shows the reported party the report. The name, phone, e-mail, ID number and
address are one Fernet token in `ReporterIdentity.ciphertext`; the keys come from
`settings.ECOLOOP_PII_KEYS` (the environment's ``ECOLOOP_PII_KEY``, comma-separated, newest
first, so keys can be rotated with `MultiFernet`). Production refuses to start without one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from enforcement.complaints.rules import can_reveal_identity
from enforcement.models import Complaint, IdentityReveal, ReporterIdentity
from workflow.permissions import can_view_case
from workflow.transitions import CaseNotFound, InvalidTransition, TransitionDenied


@dataclass(frozen=True)
class Identity:
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@cache
def _keys() -> tuple[bytes, ...]:
    raw = [k.strip() for k in getattr(settings, "ECOLOOP_PII_KEYS", []) if k.strip()]
    if not raw:
        raise ImproperlyConfigured(
            "ECOLOOP_PII_KEY is not set: reporter identities cannot be kept."
        )
    keys = []
    for key in raw:
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "ECOLOOP_PII_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."
            ) from exc
        keys.append(key.encode())
    return tuple(keys)


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def forget_keys() -> None:
    """Drop the cached keys (after the settings change, in tests)."""
    _keys.cache_clear()


def encrypt(identity: Identity) -> str:
    return _fernet().encrypt(json.dumps(asdict(identity), ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> Identity:
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A reporter identity cannot be decrypted with the configured ECOLOOP_PII_KEY."
        ) from exc
    return Identity(**{k: str(v) for k, v in data.items() if k in Identity.__dataclass_fields__})


def phone_digest(phone: str) -> str:
    """A keyed digest of a phone number (digits only), for recognising the same reporter."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return ""
    key = hashlib.sha256(b"ecoloop-phone:" + _keys()[-1]).digest()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def store(complaint: Complaint, identity: Identity, *, now: dt.datetime) -> ReporterIdentity | None:
    """Keep a reporter's identity beside the complaint (inside the filing transaction)."""
    if identity.is_empty():
        return None
    return ReporterIdentity.objects.create(
        complaint=complaint,
        ciphertext=encrypt(identity),
        phone_digest=phone_digest(identity.phone),
        has_phone=bool(identity.phone),
        has_email=bool(identity.email),
        created_at=now,
    )


def reveal(complaint: Complaint, *, actor: Any, reason: str, now: dt.datetime) -> Identity:
    """Open a reporter's identity for the intake role of the complaint's bureau, and log it.

    Raises CaseNotFound (the complaint is not the actor's to see), TransitionDenied (not the
    intake role) or InvalidTransition (no reason given).
    """
    if not can_view_case(actor, complaint):
        raise CaseNotFound(_("案件不存在或您无权查看。"))
    if not can_reveal_identity(actor, complaint):
        raise TransitionDenied(_("只有本局受理员可以查看举报人信息。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(
            _("请填写查看理由。"), {"reason": [_("查看举报人信息须说明理由，理由将被记录。")]}
        )
    IdentityReveal.objects.create(
        complaint=complaint, actor=actor, reason=reason[:200], created_at=now
    )
    record = ReporterIdentity.objects.filter(complaint=complaint).first()
    return decrypt(record.ciphertext) if record is not None else Identity()


def contact(complaint: Complaint, channel: str) -> str | None:
    """The reporter's phone (``sms``) or e-mail (``email``), for the worker that sends their
    messages; None when they gave none. Not an opening by a person: not logged."""
    record = ReporterIdentity.objects.filter(complaint=complaint).first()
    if record is None:
        return None
    if channel == "sms" and not record.has_phone:
        return None
    if channel == "email" and not record.has_email:
        return None
    identity = decrypt(record.ciphertext)
    return (identity.phone if channel == "sms" else identity.email) or None


def dev_key(secret_key: str) -> str:
    """A Fernet key derived from the SECRET_KEY: for development and tests only (local.py)."""
    return base64.urlsafe_b64encode(
        hashlib.sha256(b"ecoloop-pii:" + secret_key.encode()).digest()
    ).decode()
