"""URLs of the enforcement domain's pages (the case types' own forms)."""

from django.urls import include, path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("supervision/new/", views.create_supervision_item, name="supervision_create"),
    path("", include("enforcement.complaints.staff_urls")),
    path("enterprises/", include("enforcement.registry.urls")),
    path("inspections/", include("enforcement.inspections.urls")),
    path("penalties/", include("enforcement.penalties.urls")),
    path("random-checks/", include("enforcement.random_checks.urls")),
    path("damage/", include("enforcement.damage.urls")),
    path("dashboard/", include("enforcement.dashboard.urls")),
    path("approvals/", include("enforcement.approvals.urls")),
    path("rankings/", include("enforcement.rankings.urls")),
    path("rounds/", include("enforcement.inspection_rounds.urls")),
    path("campaigns/", include("enforcement.campaigns.urls")),
    path("patrols/", include("enforcement.patrols.urls")),
    path("places/", include("enforcement.registry.place_urls")),
    path("rhythm/", include("enforcement.rhythm.urls")),
]
