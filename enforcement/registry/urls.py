"""The registry's pages, under /enforcement/enterprises/ (the "enforcement" namespace)."""

from django.urls import path

from enforcement.registry import views

urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("import/", views.enterprise_import, name="enterprise_import"),
    path("import/template.csv", views.import_template, name="enterprise_import_template"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
]
