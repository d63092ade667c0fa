"""The 督察整改办's pages, under /enforcement/rounds/."""

from django.urls import path

from enforcement.inspection_rounds import dispatch_views, ledger, views

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("template.csv", views.import_template, name="forwarded_import_template"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/problems/", views.problem_list, name="round_problems"),
    path("<int:pk>/problems/new/", views.problem_add, name="round_problem_add"),
    path("<int:pk>/problems/import/", views.plan_import, name="round_plan_import"),
    path("plan-template.csv", views.plan_template, name="plan_import_template"),
    path("<int:pk>/tasks/new/", views.task_add, name="round_task_add"),
    path("<int:pk>/dispatch/", dispatch_views.progress, name="round_dispatch"),
    path("<int:pk>/ledger/", ledger.ledger, name="round_ledger"),
    path("<int:pk>/dispatch/new/", dispatch_views.take_now, name="dispatch_take"),
    path(
        "<int:pk>/dispatch/<int:report_pk>/", dispatch_views.report_detail, name="dispatch_report"
    ),
    path(
        "<int:pk>/dispatch/<int:report_pk>.xlsx",
        dispatch_views.report_xlsx,
        name="dispatch_report_xlsx",
    ),
    path(
        "<int:pk>/dispatch/<int:report_pk>.pdf",
        dispatch_views.report_pdf,
        name="dispatch_report_pdf",
    ),
    path("<int:round_pk>/batches/<int:number>/", views.batch_detail, name="forwarded_batch"),
    path(
        "<int:round_pk>/batches/<int:number>/import/",
        views.batch_import,
        name="forwarded_batch_import",
    ),
    path(
        "<int:round_pk>/batches/<int:number>/items/",
        views.batch_add_item,
        name="forwarded_batch_add",
    ),
    path(
        "<int:round_pk>/batches/<int:number>/dispatch/",
        views.batch_dispatch,
        name="forwarded_batch_dispatch",
    ),
    path(
        "<int:round_pk>/batches/<int:number>/publish/",
        views.batch_publish,
        name="forwarded_batch_publish",
    ),
]
