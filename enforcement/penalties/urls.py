"""Staff pages of enforcement cases and correction orders: open, documents."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
