"""URLs of the 数据看板 (included under /enforcement/dashboard/)."""

from django.urls import path

from enforcement.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.dashboard_cases, name="dashboard_cases"),
]
