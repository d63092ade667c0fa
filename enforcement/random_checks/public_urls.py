"""The public 双随机、一公开 results pages (no login)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
