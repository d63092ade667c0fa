"""Back office: units, staff, the calendar data. Cases are read-only here: they move only through
transition_case (the console), never by editing a row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from workflow import calendar
from workflow.deadline_calendar import confirm_year
from workflow.models import (
    CalendarOverride,
    CalendarYear,
    Case,
    CaseEvent,
    Deadline,
    Notification,
    NotificationPreference,
    Staff,
    Unit,
)
from workflow.models.notification import Channel, DeliveryStatus


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "case_prefix", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code", "short_name")
    readonly_fields = ("path",)


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "title", "phone")
    list_filter = ("unit",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("unit",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseAdmin(ReadOnlyAdmin):
    list_display = ("case_no", "title", "state", "jurisdiction", "responsible_unit", "due_at")
    list_filter = ("state", "kind", "jurisdiction")
    search_fields = ("case_no", "title")
    date_hierarchy = "created_at"


admin.site.register(Case, CaseAdmin)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "seq", "transition", "from_state", "to_state", "actor", "created_at")
    list_filter = ("transition",)
    search_fields = ("case__case_no",)


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case", "label", "for_state", "due_date", "provisional", "status")
    list_filter = ("status", "kind", "provisional")
    search_fields = ("case__case_no",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.data.invalidate()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar.data.invalidate()


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A year is confirmed once the State Council's 调休 notice is entered as overrides;
    confirming recomputes every provisional deadline that counts through it."""

    list_display = ("year", "confirmed", "confirmed_at", "source")
    readonly_fields = ("confirmed", "confirmed_at")
    actions = ["confirm_years"]

    @admin.action(description=_("确认所选年度的节假日安排并重算暂定期限"))
    def confirm_years(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        now = timezone.now()
        changed = sum(
            confirm_year(year.year, source=year.source, now=now)
            for year in queryset.order_by("year")
        )
        self.message_user(
            request,
            ngettext(
                "已确认 %(years)s 年度，重算了 %(n)d 个期限。",
                "已确认 %(years)s 年度，重算了 %(n)d 个期限。",
                changed,
            )
            % {
                "years": pgettext("list separator", "、").join(str(y.year) for y in queryset),
                "n": changed,
            },
            messages.SUCCESS,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.data.invalidate()


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Delivery is the workers' job; here an administrator sees what failed, and why, and sends
    it again once the cause (an address, a phone, the provider) is fixed."""

    list_display = (
        "created_at",
        "recipient",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
        "urgent",
    )
    list_filter = ("status", "channel", "urgent")
    search_fields = ("case__case_no", "recipient__username", "message")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    actions = ["resend"]

    @admin.display(description=_("最近错误"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("重新发送"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        # Failed rows only: a row `sending` may be in a provider's hands right now, and a sent
        # one would reach the person twice. Attempts start over; the last error stays as a record.
        count = (
            queryset.filter(status=DeliveryStatus.FAILED)
            .exclude(channel=Channel.IN_APP)
            .update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now())
        )
        self.message_user(
            request,
            ngettext(
                "已将 %(n)d 条发送失败的通知重新排队发送。",
                "已将 %(n)d 条发送失败的通知重新排队发送。",
                count,
            )
            % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "quiet_start", "quiet_end")
    list_filter = ("email", "sms")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    raw_id_fields = ("user",)
