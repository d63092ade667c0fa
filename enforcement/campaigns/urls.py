"""专项行动's pages, under /enforcement/campaigns/."""

from django.urls import path

from enforcement.campaigns import views

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/orders/new/", views.order_new, name="campaign_order_new"),
    path("<int:pk>/cases/", views.campaign_cases, name="campaign_cases"),
    path("<int:pk>/ledger.xlsx", views.campaign_ledger, name="campaign_ledger"),
]
