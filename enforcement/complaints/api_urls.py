"""The internal complaints API, mounted at /api/complaints/."""

from django.urls import path

from enforcement.complaints.api import ComplaintViewSet

urlpatterns = [
    path("", ComplaintViewSet.as_view({"get": "list"}), name="api-complaint-list"),
    path("<int:pk>/", ComplaintViewSet.as_view({"get": "retrieve"}), name="api-complaint-detail"),
]
