"""URLs of 审批台, included under /enforcement/approvals/."""

from django.urls import path

from enforcement.approvals import views

urlpatterns = [
    path("", views.queue, name="approvals"),
    path("<int:pk>/decide/", views.decide, name="approvals_decide"),
    path("bulk/", views.bulk, name="approvals_bulk"),
]
