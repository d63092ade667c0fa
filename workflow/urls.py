"""URLs of the staff console."""

from django.urls import include, path

from workflow.views import (
    auth,
    cases,
    children,
    evidence,
    inbox,
    leadership,
    links,
    notices,
    notifications,
    profile,
    transitions,
)

# No app namespace here: "login"/"logout" are the names settings.LOGIN_URL and Django expect, and
# "attachment" (the evidence view) is referred to by that bare name. The console's pages live in
# the "console" namespace.
console_patterns = [
    path("", inbox.inbox, name="inbox"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/transitions/<slug:name>/", transitions.transition, name="transition"),
    path("cases/<int:pk>/links/", links.link_view, name="case_links"),
    path("cases/<int:pk>/split/", children.split_view, name="case_split"),
    path("cases/<int:pk>/notices/new/", notices.issue_view, name="notice_issue"),
    path("notices/<int:pk>/", notices.notice_view, name="notice"),
    path("cases/<int:pk>/escalate/", leadership.escalate, name="case_escalate"),
    path("suggestions/", leadership.suggestions, name="suggestions"),
    path("suggestions/<int:pk>/decide/", leadership.decide, name="suggestion_decide"),
    path("units/<int:pk>/", leadership.unit_detail, name="unit_detail"),
    path("yuetan/", leadership.yuetan_ledger, name="yuetan_ledger"),
    path("yuetan/<int:pk>/report/", leadership.yuetan_report, name="yuetan_report"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path(
        "profile/notifications/",
        profile.notification_settings,
        name="notification_settings",
    ),
]

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("attachments/<int:pk>/", evidence.attachment_view, name="attachment"),
    path("", include((console_patterns, "console"))),
]
