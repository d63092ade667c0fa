"""Staff pages of enforcement cases and correction orders: open, documents."""

from django.urls import path

from enforcement.penalties import views

urlpatterns = [
    path("new/", views.open_enforcement, name="enforcement_create"),
    path("corrections/new/", views.open_correction, name="correction_create"),
    path(
        "<int:pk>/documents/<slug:doc>.pdf",
        views.enforcement_document,
        name="enforcement_document",
    ),
    path("corrections/<int:pk>/order.pdf", views.correction_pdf, name="correction_pdf"),
]
