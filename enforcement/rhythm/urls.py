"""日分析's pages, under /enforcement/rhythm/."""

from django.urls import path

from enforcement.rhythm import views

urlpatterns = [
    path("daily/", views.daily_analysis, name="daily_analysis"),
    path("daily/<int:pk>/", views.daily_analysis, name="daily_analysis_detail"),
]
