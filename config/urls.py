from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("workflow.api.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("complaints/", include("enforcement.complaints.urls")),
    path("", include("workflow.urls")),
]
