"""Staff pages of inspections: log one, today's tasks, the on-site record as PDF."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
