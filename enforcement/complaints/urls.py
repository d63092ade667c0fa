"""The public side of complaints (no login): file, track, rate."""

from django.urls import path

from enforcement.complaints import views_public

app_name = "complaints"

urlpatterns = [
    path("", views_public.new_complaint, name="new"),
    path("track/", views_public.lookup, name="lookup"),
    path("track/<str:code>/", views_public.track, name="track"),
    path("track/<str:code>/receipt/", views_public.receipt, name="receipt"),
    path("track/<str:code>/qr.svg", views_public.qr_code, name="qr"),
    path("track/<str:code>/rate/", views_public.rate, name="rate"),
    path("track/<str:code>/review/", views_public.request_review, name="review"),
]
