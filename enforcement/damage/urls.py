"""Staff pages of damage compensation: open a clue, screening batches, the metrics."""

from django.urls import path

from enforcement.damage import metrics_views, views

urlpatterns = [
    path("metrics/", metrics_views.metrics, name="damage_metrics"),
    path("metrics/cases/", metrics_views.metric_cases, name="damage_metric_cases"),
    path("new/", views.create_clue, name="damage_create"),
    path("screening/", views.screening, name="damage_screening"),
]
