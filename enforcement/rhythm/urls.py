"""日分析·周调度·月通报 pages, under /enforcement/rhythm/."""

from django.urls import path

from enforcement.rhythm import document_views, views

urlpatterns = [
    path("daily/", views.daily_analysis, name="daily_analysis"),
    path("daily/<int:pk>/", views.daily_analysis, name="daily_analysis_detail"),
    path("weekly/", document_views.weekly_agenda, name="weekly_agenda"),
    path("weekly/<int:pk>/", document_views.weekly_agenda, name="weekly_agenda_detail"),
    path("bulletins/", document_views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", document_views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/pdf/", document_views.bulletin_pdf, name="bulletin_pdf"),
    path(
        "suggestions/<int:pk>/decide/",
        document_views.decide_suggestion,
        name="accountability_decide",
    ),
]
