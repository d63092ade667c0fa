from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/complaints/", include("enforcement.complaints.api_urls")),
    path("api/", include("workflow.api.urls")),
    path("open311/v2/", include("enforcement.complaints.open311_urls")),
    path("captcha/", include("captcha.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("complaints/", include("enforcement.complaints.urls")),
    path("random-checks/", include("enforcement.random_checks.public_urls")),
    path("daily/", include("enforcement.rankings.public_urls")),
    path("ducha/", include("enforcement.inspection_rounds.public_urls")),
    path("", include("workflow.urls")),
]

# An unknown URL under /api/ or /open311/ answers in that protocol's error format.
handler404 = "workflow.errors.page_not_found"
