"""The 周排名 / 月考核 pages: the snapshots, one snapshot with its comparison and exports."""

from django.urls import path

from enforcement.rankings import views

urlpatterns = [
    path("", views.snapshot_list, name="rankings"),
    path("<int:pk>/", views.snapshot_detail, name="ranking_detail"),
]
