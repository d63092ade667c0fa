"""The staff console's complaint pages (inside the "enforcement" namespace)."""

from django.urls import path

from enforcement.complaints import views_staff

urlpatterns = [
    path("complaints/intake/", views_staff.intake_desk, name="complaint_intake"),
    path("complaints/new/", views_staff.new_complaint, name="complaint_create"),
    path("complaints/<int:pk>/identity/", views_staff.reveal_identity, name="complaint_reveal"),
    path("complaints/<int:pk>/opinion.pdf", views_staff.opinion, name="complaint_opinion_pdf"),
]
