from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from workflow.api.views import CaseViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="api-case")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
