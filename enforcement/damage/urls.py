"""Staff pages of damage compensation: open a clue, screening batches, the metrics."""

from django.urls import path

from enforcement.damage import views

urlpatterns = [
    path("new/", views.create_clue, name="damage_create"),
    path("screening/", views.screening, name="damage_screening"),
]
