"""The public 边督边改 一览表, under /ducha/."""

from django.urls import path

from enforcement.inspection_rounds import public_views

app_name = "ducha"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<int:pk>/", public_views.publication, name="publication"),
    path("<int:pk>.xlsx", public_views.publication_xlsx, name="publication_xlsx"),
    path("publicity/", public_views.publicity, name="publicity"),
    path("publicity/<int:pk>/", public_views.publicity_task, name="publicity_task"),
    path("objections/<str:code>/", public_views.objection, name="objection"),
]
