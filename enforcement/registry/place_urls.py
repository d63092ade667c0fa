"""The register of places, under /enforcement/places/ (the "enforcement" namespace)."""

from django.urls import path

from enforcement.registry import place_views

urlpatterns = [
    path("", place_views.place_list, name="place_list"),
    path("<int:pk>/", place_views.place_detail, name="place_detail"),
    path("import/", place_views.place_import, name="place_import"),
    path("import/template.csv", place_views.place_template, name="place_import_template"),
]
