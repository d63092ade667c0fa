"""日公布: the public page of the items completed on a day (no login)."""

from django.urls import path

from enforcement.rankings import public_views

app_name = "daily"

urlpatterns = [path("", public_views.index, name="index")]
