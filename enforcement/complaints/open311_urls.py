"""Open311 GeoReport v2, mounted at /open311/v2/: every resource ends in .json or .xml."""

from django.urls import re_path

from enforcement.complaints import open311

FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.Discovery.as_view(), name="open311-discovery"),
    re_path(r"^services" + FORMAT, open311.ServiceList.as_view(), name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FORMAT,
        open311.ServiceDefinition.as_view(),
        name="open311-service",
    ),
    re_path(r"^requests" + FORMAT, open311.ServiceRequests.as_view(), name="open311-requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+)" + FORMAT,
        open311.ServiceRequestDetail.as_view(),
        name="open311-request",
    ),
    re_path(
        r"^tokens/(?P<token>[^/]+)" + FORMAT, open311.TokenLookup.as_view(), name="open311-token"
    ),
]
