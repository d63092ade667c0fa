"""Sending e-mail and SMS notification rows: claim, send outside any transaction, record.

A row is claimed with one conditional UPDATE (pending/failed → sending, attempts + 1), so two
workers, a redelivered task and the beat sweep never send the same row: whoever updates one row
sends it, the others update none. The provider is called after that UPDATE has committed, with no
transaction open, and the outcome is written with a second conditional UPDATE.

A worker that dies between the two UPDATEs leaves the row in `sending`. What happens next is a
choice per channel, because no provider deduplicates (Aliyun `OutId` and Tencent `SessionContext`
are only echoed back):

* e-mail is **at-least-once**: a stuck row goes back to pending and is sent again; a second copy
  of an e-mail costs nothing, a lost one may cost a deadline;
* SMS is **at-most-once** (DESIGN.md §5, reference/ecosystem.md §2 (a)): a stuck row becomes
  failed with "result unknown" and no retry time; an administrator checks the provider's delivery
  report and resends it from the admin if it never arrived. A warning or a 催办 sent twice to a
  unit head's phone is itself a record that has to be explained.
"""

from __future__ import annotations

import datetime as dt
import logging
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from workflow.calendar import SHANGHAI
from workflow.models.notification import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
from workflow.notifications import channels_for, external_channels
from workflow.record_language import in_record_language
from workflow.sms import get_sms_backend, mask_phone

logger = logging.getLogger(__name__)

#: After this many attempts a row stays failed, for an administrator to look at.
MAX_ATTEMPTS = 5
#: The wait after the 1st, 2nd, 3rd … failed attempt; the last value repeats.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(minutes=120),
)
#: A row `sending` for longer than this was abandoned by a worker (the task time limit is 90 s).
STUCK_AFTER = dt.timedelta(minutes=10)

RETRYABLE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"  # quiet hours: no attempt counted
    SKIPPED = "skipped"  # the person can no longer be reached on this channel
    NOT_CLAIMED = "not_claimed"  # sent, being sent, not due, or out of attempts


def backoff(attempts: int) -> dt.timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def due_notifications(now: dt.datetime) -> QuerySet[Notification]:
    """E-mail and SMS rows a worker may claim now (the partial index `notification_to_send`)."""
    return Notification.objects.filter(
        status__in=RETRYABLE, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
    ).exclude(channel=Channel.IN_APP)


def deliver_due(now: dt.datetime, *, batch_size: int = 100) -> int:
    """The beat sweep. Returns how many rows were sent.

    1. Release rows a dead worker left in `sending` (per channel, see the module docstring).
    2. Take up to `batch_size` due rows, oldest first.
    3. Deliver each through the same claim as the immediate task; a bad row cannot stop the rest.
    """
    release_stuck(now)
    ids = list(
        due_notifications(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(1 for pk in ids if deliver_notification(pk, now=now) == Outcome.SENT)


def release_stuck(now: dt.datetime) -> int:
    stuck = Notification.objects.filter(
        status=DeliveryStatus.SENDING, next_attempt_at__lte=now - STUCK_AFTER
    )
    again = stuck.filter(channel=Channel.EMAIL).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now
    )
    with in_record_language():
        unknown = _("发送中断，结果未知：请核对短信平台的发送记录，未收到的再重新发送。")
    held = stuck.filter(channel=Channel.SMS).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=unknown
    )
    if again or held:
        logger.warning("released %d stuck e-mail and %d stuck SMS notifications", again, held)
    return again + held


def deliver_notification(notification_id: int, *, now: dt.datetime) -> Outcome:
    """Send one e-mail or SMS row if it is due and nobody else has claimed it.

    1. A non-urgent SMS due in the recipient's quiet hours moves to their end (no attempt).
    2. Claim: a conditional UPDATE to `sending` with one more attempt; 0 rows → someone else.
    3. Send, with no transaction open.
    4. Record `sent`, or `failed` with the error and the next attempt after the backoff (none
       once MAX_ATTEMPTS are used: the row waits for an administrator).
    """
    row = (
        due_notifications(now)
        .select_related("recipient", "recipient__staff", "case")
        .filter(pk=notification_id)
        .first()
    )
    if row is None:
        return Outcome.NOT_CLAIMED
    if row.channel == Channel.SMS and not row.urgent:
        until = quiet_until(row.recipient, now)
        if until is not None:
            due_notifications(now).filter(pk=row.pk).update(next_attempt_at=until)
            return Outcome.DEFERRED
    claimed = (
        due_notifications(now)
        .filter(pk=row.pk)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    )
    if not claimed:
        return Outcome.NOT_CLAIMED
    row.attempts += 1
    mine = Notification.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING)

    reachable = (
        channels_for(row.recipient) if row.recipient is not None else external_channels(row.case)
    )
    if row.channel not in reachable:
        # Turned off in the profile, or the address or phone was removed, since the row was made.
        with in_record_language():
            reason = _("收件人已不再接收此渠道的通知。")
        mine.update(status=DeliveryStatus.SKIPPED, next_attempt_at=None, last_error=reason)
        return Outcome.SKIPPED
    try:
        _send(row)
    except Exception as exc:
        # Any failure (SMTP, the provider, a missing SDK) is recorded on the row for the admin.
        error = f"{type(exc).__name__}: {exc}"[:2000]
        retry_at = now + backoff(row.attempts) if row.attempts < MAX_ATTEMPTS else None
        mine.update(status=DeliveryStatus.FAILED, last_error=error, next_attempt_at=retry_at)
        logger.warning(
            "notification %s (%s to %s) failed, attempt %d: %s",
            row.pk,
            row.channel,
            _address(row),
            row.attempts,
            error,
        )
        return Outcome.FAILED
    mine.update(status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, last_error="")
    return Outcome.SENT


def quiet_until(user: Any, now: dt.datetime) -> dt.datetime | None:
    """The end of the person's quiet hours if `now` falls inside them (Beijing time), else None.

    The window may cross midnight (22:00–07:00, the default). Equal start and end: no quiet hours.
    """
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        preference = NotificationPreference()  # the model's defaults
    start, end = preference.quiet_start, preference.quiet_end
    local = now.astimezone(SHANGHAI)
    clock = local.time().replace(tzinfo=None)
    if start == end:
        return None
    if start < end:
        inside, end_day = start <= clock < end, local.date()
    else:
        inside = clock >= start or clock < end
        end_day = local.date() + dt.timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=SHANGHAI)


def _send(row: Notification) -> None:
    if row.channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(f"{row.channel} is not sent by a worker")
    to = _contact(row)
    if not to:
        raise ValueError("the recipient has no address on this channel")
    if row.channel == Channel.EMAIL:
        with in_record_language():
            footer = (
                _("此邮件由生态环境执法与信访闭环系统自动发送，详情请登录系统查看。")
                if row.recipient is not None
                else _("此邮件由生态环境执法与信访闭环系统自动发送，请勿直接回复。")
            )
        body = row.message
        if row.link:  # a document: where to read it
            body += f"\n{settings.ECOLOOP_PUBLIC_BASE_URL.rstrip('/')}{row.link}"
        EmailMessage(subject=row.message[:120], body=f"{body}\n\n{footer}\n", to=[to]).send()
    else:
        get_sms_backend().send(to, row.template_code, row.params)


def _contact(row: Notification) -> str:
    """The phone or e-mail address of the row's recipient, read now (never stored on the row)."""
    if row.recipient is None:
        # Only a case's outside party has no account (a document always has a recipient).
        assert row.case is not None
        contact = row.case.specific.case_type.external_contact
        return (contact(row.case.specific, row.channel) if contact else None) or ""
    if row.channel == Channel.EMAIL:
        return str(row.recipient.email or "")
    staff = getattr(row.recipient, "staff", None)
    return str(staff.phone) if staff is not None else ""


def _address(row: Notification) -> str:
    """The recipient as a log may show it: a masked phone, a user id, never a reporter."""
    if row.recipient is None:
        return "reporter"
    if row.channel == Channel.SMS:
        return mask_phone(_contact(row))
    return f"user {row.recipient_id}"
