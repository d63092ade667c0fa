"""The public 双随机、一公开 results pages (no login)."""

from django.urls import path

from enforcement.random_checks import public_views

app_name = "random_checks"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<int:pk>/", public_views.plan, name="plan"),
]
