from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from workflow.api.views import CaseViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="api-case")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script): the
    # page's CSP refuses inline scripts. SWAGGER_UI_DIST="SIDECAR" keeps every asset local.
    # Its inline <style> is moved to a static file too (api/swagger_ui.html).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]
