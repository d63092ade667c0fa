from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from enforcement.complaints.duplicates import target_key
from enforcement.models import Complaint, IdentityReveal, ReporterIdentity, SupervisionItem
from enforcement.models.enterprise import Enterprise
from workflow.admin import CaseAdmin, ReadOnlyAdmin


@admin.register(SupervisionItem)
class SupervisionItemAdmin(CaseAdmin):
    list_display = ("case_no", "title", "state", "source", "responsible_unit", "due_at")
    list_filter = ("state", "source", "jurisdiction")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Complaints, read-only. Nothing about the reporter: not the tracking code (whoever holds it
    may rate the reply), not the anonymous / reward flags, and no identity (its own table)."""

    list_display = ("case_no", "title", "state", "category", "track", "channel", "received_at")
    list_filter = ("state", "category", "track", "channel", "jurisdiction")
    search_fields = ("case_no", "title", "target_name", "target_uscc")
    date_hierarchy = "received_at"
    exclude = ("anonymous", "wants_reply", "wants_reward")


@admin.register(ReporterIdentity)
class ReporterIdentityAdmin(ReadOnlyAdmin):
    """Only that an identity exists and which contacts it holds: never the ciphertext or the
    phone digest. The identity itself is opened in the console's logged reveal view only."""

    list_display = ("complaint", "created_at", "has_phone", "has_email")
    fields = ("complaint", "created_at", "has_phone", "has_email")
    readonly_fields = fields
    search_fields = ("complaint__case_no",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("ciphertext", "phone_digest")


@admin.register(IdentityReveal)
class IdentityRevealAdmin(ReadOnlyAdmin):
    """The log of who opened a reporter's identity, when and why (read-only)."""

    list_display = ("created_at", "complaint", "actor", "reason")
    list_filter = ("created_at",)
    search_fields = ("complaint__case_no", "actor__username", "reason")
    date_hierarchy = "created_at"


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """The registry of 排污单位 (the console's import page adds them in bulk)."""

    list_display = ("name", "uscc", "jurisdiction", "tier", "industry", "active", "updated_at")
    list_filter = ("tier", "active", "jurisdiction")
    search_fields = ("name", "uscc", "permit_no", "address")
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("jurisdiction",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        now = timezone.now()
        obj.name_key = target_key(obj.name)
        obj.updated_at = now
        if not change:
            obj.created_at = now
        super().save_model(request, obj, form, change)
