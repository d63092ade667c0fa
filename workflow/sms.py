"""SMS backends, pluggable like Django's e-mail backends: `settings.SMS_BACKEND` is a dotted path.

Chinese carriers only deliver pre-approved templates (签名 + 模板), so a message is a template code
and its parameters, never free text. Our template codes (``CASE_STATE``, ``ESCALATION`` …) map to
each provider's approved ids through ``settings.SMS_TEMPLATES``.

The vendor SDKs are optional extras (``uv sync --extra sms-aliyun`` / ``--extra sms-tencent``) and
are imported only when their backend sends. Phone numbers never reach a log unmasked.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from workflow.mailbox import write_message

logger = logging.getLogger(__name__)

#: Seconds a provider call may take; the Celery soft time limit (60 s) is the outer bound.
TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The provider refused or could not be reached; the message may be retried."""


def mask_phone(phone: str) -> str:
    """138****0000: enough to tell numbers apart in a log, not enough to call anyone."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class BaseSmsBackend:
    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        """Send one templated message; return the provider's message id. Raise SmsError."""
        raise NotImplementedError


def get_sms_backend(path: str | None = None) -> BaseSmsBackend:
    backend_class = import_string(path or settings.SMS_BACKEND)
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSmsBackend)):
        raise ImproperlyConfigured(f"{path or settings.SMS_BACKEND} is not an SMS backend.")
    return backend_class()


def _provider_template(template_code: str) -> dict[str, Any]:
    """The provider's approved template for one of ours: ``{"id": …, "params": [names…]}``.

    ``SMS_TEMPLATES`` maps a code to the provider's id, or to a dict with the id and, for Tencent
    (whose templates take positional parameters), the order of our parameter names.
    """
    entry = settings.SMS_TEMPLATES.get(template_code)
    if entry is None:
        raise ImproperlyConfigured(
            f"SMS template {template_code!r} has no provider template in SMS_TEMPLATES."
        )
    if isinstance(entry, str):
        return {"id": entry, "params": []}
    return {"id": str(entry["id"]), "params": list(entry.get("params", []))}


def _option(name: str) -> str:
    value = str(settings.SMS_OPTIONS.get(name, "")).strip()
    if not value:
        raise ImproperlyConfigured(f"SMS_OPTIONS[{name!r}] must be set for {settings.SMS_BACKEND}.")
    return value


class ConsoleBackend(BaseSmsBackend):
    """Development: writes what would be sent, with the phone masked."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._ids = itertools.count(1)

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        self.stream.write(
            f"SMS to {mask_phone(phone)}: {template_code} "
            f"{json.dumps(params, ensure_ascii=False, sort_keys=True)}\n"
        )
        self.stream.flush()
        return f"console-{next(self._ids)}"


class FileBackend(BaseSmsBackend):
    """The embedded default: each message a readable file under `SMS_FOLDER` (var/sms/).

    The number is written whole, as a provider would receive it: the file is the message, not a
    log, and the demo folder is the only place it goes.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else Path(settings.SMS_FOLDER)

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        headers = [("To", phone), ("Template", template_code)]
        body = "\n".join(f"{name}: {value}" for name, value in sorted(params.items()))
        return f"file-{write_message(self.folder, headers, body).stem}"


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    template_code: str
    params: dict[str, Any] = field(default_factory=dict)
    provider_id: str = ""


#: What the LocmemBackend "sent", like django.core.mail.outbox. Tests empty it.
outbox: list[SmsMessage] = []
_outbox_lock = threading.Lock()


class LocmemBackend(BaseSmsBackend):
    """Tests: keeps messages in `workflow.sms.outbox`."""

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        with _outbox_lock:
            provider_id = f"locmem-{len(outbox) + 1}"
            outbox.append(SmsMessage(phone, template_code, dict(params), provider_id))
        logger.info("SMS %s to %s", template_code, mask_phone(phone))
        return provider_id


class AliyunBackend(BaseSmsBackend):
    """阿里云短信 (dysmsapi 2017-05-25). Needs the ``sms-aliyun`` extra.

    SMS_OPTIONS: access_key_id, access_key_secret, sign_name, endpoint (optional).
    """

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        try:
            from alibabacloud_dysmsapi20170525 import models as dysms
            from alibabacloud_dysmsapi20170525.client import Client
            from alibabacloud_tea_openapi import utils_models as openapi
            from darabonba.runtime import RuntimeOptions
        except ImportError as exc:
            raise ImproperlyConfigured(
                "AliyunBackend needs the Aliyun SMS SDK: install the 'sms-aliyun' extra "
                "(uv sync --extra sms-aliyun)."
            ) from exc
        template = _provider_template(template_code)
        client = Client(
            openapi.Config(
                access_key_id=_option("access_key_id"),
                access_key_secret=_option("access_key_secret"),
                endpoint=settings.SMS_OPTIONS.get("endpoint") or "dysmsapi.aliyuncs.com",
            )
        )
        request = dysms.SendSmsRequest(
            phone_numbers=phone,
            sign_name=_option("sign_name"),
            template_code=template["id"],
            template_param=json.dumps(params, ensure_ascii=False),
        )
        timeout_ms = TIMEOUT_SECONDS * 1000
        runtime = RuntimeOptions(
            autoretry=False, connect_timeout=timeout_ms, read_timeout=timeout_ms
        )
        try:
            response = client.send_sms_with_options(request, runtime)
        except Exception as exc:  # the SDK raises its own hierarchy; all of it is retryable
            raise SmsError(f"Aliyun: {exc}") from exc
        body = response.body
        if body.code != "OK":
            raise SmsError(f"Aliyun {body.code}: {body.message}")
        logger.info("SMS %s to %s: Aliyun %s", template_code, mask_phone(phone), body.biz_id)
        return str(body.biz_id)


class TencentBackend(BaseSmsBackend):
    """腾讯云短信 (API 2021-01-11). Needs the ``sms-tencent`` extra.

    SMS_OPTIONS: secret_id, secret_key, sdk_app_id, sign_name, region (default ap-guangzhou).
    Tencent templates take positional parameters: SMS_TEMPLATES gives their order.
    """

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        try:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111 import models, sms_client
        except ImportError as exc:
            raise ImproperlyConfigured(
                "TencentBackend needs the Tencent Cloud SMS SDK: install the 'sms-tencent' extra "
                "(uv sync --extra sms-tencent)."
            ) from exc
        template = _provider_template(template_code)
        names = template["params"] or sorted(params)
        client = sms_client.SmsClient(
            credential.Credential(_option("secret_id"), _option("secret_key")),
            settings.SMS_OPTIONS.get("region") or "ap-guangzhou",
            ClientProfile(httpProfile=HttpProfile(reqTimeout=TIMEOUT_SECONDS)),
        )
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        request.SmsSdkAppId = _option("sdk_app_id")
        request.SignName = _option("sign_name")
        request.TemplateId = template["id"]
        request.TemplateParamSet = [str(params.get(name, "")) for name in names]
        try:
            response = client.SendSms(request)
        except Exception as exc:  # TencentCloudSDKException and transport errors
            raise SmsError(f"Tencent: {exc}") from exc
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise SmsError(f"Tencent {status.Code}: {status.Message}")
        logger.info("SMS %s to %s: Tencent %s", template_code, mask_phone(phone), status.SerialNo)
        return str(status.SerialNo)
