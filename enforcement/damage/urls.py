"""Staff pages of damage compensation: open a clue, screening batches, the metrics."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
