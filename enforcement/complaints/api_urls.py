"""The internal complaints API, mounted at /api/complaints/."""

from django.urls import path, re_path

from enforcement.complaints.api import ComplaintViewSet

urlpatterns = [
    path("", ComplaintViewSet.as_view({"get": "list"}), name="api-complaint-list"),
    # An id a database column can hold; anything else is an unknown URL (a JSON 404).
    re_path(
        r"^(?P<pk>[0-9]{1,18})/$",
        ComplaintViewSet.as_view({"get": "retrieve"}),
        name="api-complaint-detail",
    ),
]
