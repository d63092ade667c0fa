"""Staff pages of 双随机 plans: create, draw, publish."""

from django.urls import path

from enforcement.random_checks import views

urlpatterns = [
    path("", views.random_plan_list, name="random_plan_list"),
    path("new/", views.random_plan_create, name="random_plan_create"),
    path("<int:pk>/", views.random_plan_detail, name="random_plan_detail"),
    path("<int:pk>/draw/", views.random_plan_draw, name="random_plan_draw"),
    path("<int:pk>/publish/", views.random_plan_publish, name="random_plan_publish"),
]
