"""Staff pages of 双随机 plans: create, draw, publish."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
