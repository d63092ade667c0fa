"""通知设置: a person chooses e-mail and SMS and their quiet hours; the console says what is wrong
in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from workflow.models import NotificationPreference, Staff

pytestmark = pytest.mark.django_db

URL = reverse("console:notification_settings")
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def signed_in(user: Any) -> Client:
    client = Client(**CHINESE)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def reachable(handler: Any) -> Any:
    handler.email = "chenming@example.gov.cn"
    handler.save()
    Staff.objects.filter(user=handler).update(phone="13812340000")
    return handler


def test_the_page_shows_the_address_and_phone_masked(reachable):
    page = signed_in(reachable).get(URL).content.decode()
    assert "通知设置" in page
    assert "ch***@example.gov.cn" in page
    assert "138****0000" in page
    assert "13812340000" not in page
    assert "chenming@" not in page


def test_the_top_bar_links_to_the_settings(reachable):
    page = signed_in(reachable).get(reverse("console:inbox")).content.decode()
    assert f'href="{URL}"' in page


def test_saving_keeps_the_choice_and_the_quiet_hours(reachable):
    response = signed_in(reachable).post(
        URL, {"email": "on", "quiet_start": "21:30", "quiet_end": "06:30"}, follow=True
    )
    assert "通知设置已保存" in response.content.decode()
    preference = NotificationPreference.objects.get(user=reachable)
    assert (preference.email, preference.sms) == (True, False)
    assert (preference.quiet_start, preference.quiet_end) == (dt.time(21, 30), dt.time(6, 30))


def test_an_invalid_time_is_refused_in_chinese(reachable):
    response = signed_in(reachable).post(
        URL, {"sms": "on", "quiet_start": "25:99", "quiet_end": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入有效的时间" in page
    assert "请填写时间" in page
    assert not NotificationPreference.objects.filter(user=reachable).exists()


def test_sms_cannot_be_chosen_without_a_phone_on_record(handler):
    response = signed_in(handler).post(
        URL, {"sms": "on", "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    assert "没有登记手机号" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=handler).exists()


def test_the_page_needs_a_signed_in_person():
    response = Client().get(URL)
    assert response.status_code == 302
