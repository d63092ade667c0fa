"""Staff pages of inspections: log one, today's tasks, the on-site record as PDF."""

from django.urls import path

from enforcement.inspections import views

urlpatterns = [
    path("new/", views.inspection_create, name="inspection_create"),
    path("today/", views.today, name="today"),
    path("<int:pk>/record.pdf", views.inspection_record_pdf, name="inspection_record_pdf"),
]
