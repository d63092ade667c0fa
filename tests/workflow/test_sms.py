"""SMS backends: templates (code + params), masked phones, vendor SDKs optional."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from workflow import sms


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    sms.outbox.clear()


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812340000", "138****0000"), ("+8613812340000", "+86*******0000"), ("12345", "*****")],
)
def test_a_phone_is_masked_to_its_first_three_and_last_four_digits(phone, masked):
    assert sms.mask_phone(phone) == masked


def test_the_backend_is_chosen_by_settings(settings):
    settings.SMS_BACKEND = "workflow.sms.ConsoleBackend"
    assert isinstance(sms.get_sms_backend(), sms.ConsoleBackend)
    assert isinstance(sms.get_sms_backend("workflow.sms.LocmemBackend"), sms.LocmemBackend)


def test_a_dotted_path_that_is_not_a_backend_is_refused():
    with pytest.raises(ImproperlyConfigured):
        sms.get_sms_backend("workflow.sms.SmsMessage")


def test_locmem_keeps_the_template_and_its_params_and_logs_a_masked_phone(caplog):
    with caplog.at_level(logging.INFO, logger="workflow.sms"):
        message_id = sms.LocmemBackend().send("13812340000", "CASE_STATE", {"case_no": "X1"})
    assert message_id
    assert sms.outbox == [
        sms.SmsMessage("13812340000", "CASE_STATE", {"case_no": "X1"}, message_id)
    ]
    assert "138****0000" in caplog.text
    assert "13812340000" not in caplog.text


def test_the_console_prints_a_masked_phone_the_template_and_its_params():
    stream = io.StringIO()
    sms.ConsoleBackend(stream=stream).send("13812340000", "CASE_STATE", {"state": "已交办"})
    printed = stream.getvalue()
    assert "138****0000" in printed
    assert "13812340000" not in printed
    assert 'CASE_STATE {"state": "已交办"}' in printed


@pytest.mark.parametrize(
    ("backend", "module", "extra"),
    [
        (sms.AliyunBackend, "alibabacloud_dysmsapi20170525", "sms-aliyun"),
        (sms.TencentBackend, "tencentcloud", "sms-tencent"),
    ],
)
def test_a_vendor_backend_without_its_sdk_says_which_extra_to_install(
    backend, module, extra, monkeypatch
):
    # given the SDK is not installed (a None entry makes `import` fail), including its
    # submodules that an earlier test may have imported
    for name in [m for m in sys.modules if m.startswith(module + ".")] + [module]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImproperlyConfigured, match=extra):
        backend().send("13812340000", "CASE_STATE", {})


def test_a_template_without_a_provider_template_is_a_configuration_error(settings):
    pytest.importorskip("alibabacloud_dysmsapi20170525")
    settings.SMS_TEMPLATES = {}
    with pytest.raises(ImproperlyConfigured, match="UNKNOWN"):
        sms.AliyunBackend().send("13812340000", "UNKNOWN", {})


def test_aliyun_unreachable_is_a_retryable_sms_error(settings):
    # The SDK builds its request offline; a closed local port fails fast without the internet.
    pytest.importorskip("alibabacloud_dysmsapi20170525")
    settings.SMS_OPTIONS = {
        "access_key_id": "id",
        "access_key_secret": "secret",
        "sign_name": "太原生态环境",
        "endpoint": "127.0.0.1:9",
    }
    with pytest.raises(sms.SmsError, match="Aliyun"):
        sms.AliyunBackend().send("13812340000", "CASE_STATE", {"case_no": "X1"})


def test_tencent_unreachable_is_a_retryable_sms_error(settings, monkeypatch):
    pytest.importorskip("tencentcloud.sms")
    settings.SMS_OPTIONS = {
        "secret_id": "id",
        "secret_key": "key",
        "sdk_app_id": "1400000000",
        "sign_name": "太原生态环境",
    }
    settings.SMS_TEMPLATES = {"CASE_STATE": {"id": "100001", "params": ["case_no", "state"]}}
    # Point the SDK at a closed local port instead of sms.tencentcloudapi.com.
    from tencentcloud.common.profile import http_profile

    original = http_profile.HttpProfile.__init__

    def local(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.endpoint = "127.0.0.1:9"
        self.scheme = "http"

    monkeypatch.setattr(http_profile.HttpProfile, "__init__", local)
    with pytest.raises(sms.SmsError, match="Tencent"):
        sms.TencentBackend().send("13812340000", "CASE_STATE", {"case_no": "X1"})
