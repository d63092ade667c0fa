"""巡查's pages, under /enforcement/patrols/."""

from django.urls import path

from enforcement.patrols import views

urlpatterns = [
    path("", views.patrol_list, name="patrols"),
    path("new/", views.patrol_new, name="patrol_new"),
    path("<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("<int:pk>/findings/", views.finding_new, name="patrol_finding_new"),
    path("<int:pk>/end/", views.patrol_end, name="patrol_end"),
]
