from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enforcement.complaints.duplicates import target_key
from enforcement.models import (
    Campaign,
    CampaignOrder,
    Complaint,
    ConsultationMeeting,
    CorrectionOrder,
    DamageCase,
    DamageParty,
    EmergencyResponse,
    EnforcementCase,
    ForwardedBatch,
    ForwardedComplaint,
    ForwardedPublication,
    IdentityReveal,
    Inspection,
    InspectionRound,
    InspectorCredential,
    Patrol,
    PatrolFinding,
    Place,
    PlanState,
    RandomInspectionPlan,
    RankingSnapshot,
    RapidItem,
    ReporterIdentity,
    SupervisionItem,
)
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


@admin.register(InspectorCredential)
class InspectorCredentialAdmin(admin.ModelAdmin):
    """执法证: an administrator records who holds one (the pool of inspectors of a draw and the
    inspectors of a record are checked against it)."""

    list_display = ("number", "user", "valid_until")
    search_fields = ("number", "user__username", "user__first_name", "user__last_name")
    list_filter = ("valid_until",)
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    """现场检查, read-only: an inspection moves only through the console's transitions."""

    list_display = (
        "case_no",
        "title",
        "state",
        "inspection_type",
        "enterprise",
        "inspect_by",
        "started_at",
        "plan",
        "due_at",
    )
    list_filter = ("state", "inspection_type", "problem_found", "jurisdiction")
    search_fields = ("case_no", "title", "record_no", "enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "plan")
    date_hierarchy = "created_at"


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(ReadOnlyAdmin):
    """行政处罚案件, read-only: every step is a transition with its own form and clock."""

    list_display = (
        "case_no",
        "title",
        "state",
        "party_name",
        "filing_no",
        "decision_no",
        "responsible_unit",
        "due_at",
    )
    list_filter = ("state", "jurisdiction", "collective_discussion")
    search_fields = (
        "case_no",
        "title",
        "party_name",
        "party_uscc",
        "filing_no",
        "notice_no",
        "decision_no",
    )
    list_select_related = ("responsible_unit",)
    date_hierarchy = "created_at"


@admin.register(CorrectionOrder)
class CorrectionOrderAdmin(ReadOnlyAdmin):
    """责令改正 and its 复查, read-only."""

    list_display = (
        "case_no",
        "order_no",
        "enterprise",
        "state",
        "served_at",
        "correct_by",
        "recheck_due",
        "penalty_days",
    )
    list_filter = ("state", "jurisdiction", "immediate")
    search_fields = ("case_no", "order_no", "enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)
    date_hierarchy = "created_at"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DamagePartyInline(ReadOnlyInline):
    model = DamageParty
    fields = ("name", "uscc", "role")


class ConsultationMeetingInline(ReadOnlyInline):
    model = ConsultationMeeting
    fields = ("round", "number", "held_at", "participants", "minutes")


@admin.register(DamageCase)
class DamageCaseAdmin(ReadOnlyAdmin):
    """生态环境损害赔偿案件, read-only with its parties and 磋商 meetings: every step is a
    transition with its own form and limits (30-day 初步核查, ≤ 90 days and ≤ 3 meetings)."""

    list_display = (
        "case_no",
        "title",
        "state",
        "channel",
        "clue_received_at",
        "screening_batch",
        "meetings_held",
        "compensation_amount",
        "responsible_unit",
        "due_at",
    )
    list_filter = ("state", "channel", "screening_batch", "assessment_mode", "jurisdiction")
    search_fields = (
        "case_no",
        "title",
        "parties__name",
        "parties__uscc",
        "agreement_no",
        "court_case_no",
        "assessment_report_no",
    )
    list_select_related = ("responsible_unit",)
    date_hierarchy = "clue_received_at"
    inlines = (DamagePartyInline, ConsultationMeetingInline)


#: Written by the draw, never by hand: editing any of them would break its reproduction.
PLAN_DRAW_FIELDS = (
    "state",
    "seed",
    "target_pool",
    "inspector_pool",
    "conflicts",
    "result",
    "drawn_at",
    "drawn_by",
    "published_at",
    "created_by",
    "created_at",
)


@admin.register(RandomInspectionPlan)
class RandomInspectionPlanAdmin(admin.ModelAdmin):
    """双随机抽查计划. A draft's plan fields may be corrected here; the state and everything the
    draw wrote are read-only, and once drawn the whole plan is (its ratios and pools are what
    reproduces the published result). Plans are drawn and published on the console's pages."""

    list_display = ("title", "jurisdiction", "year", "quarter", "state", "inspect_by", "drawn_at")
    list_filter = ("state", "year", "quarter", "jurisdiction")
    search_fields = ("title", "seed")
    list_select_related = ("jurisdiction",)
    filter_horizontal = ("inspector_pool_users",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "jurisdiction",
                    "year",
                    "quarter",
                    "inspect_by",
                    "ratios",
                    "conflict_days",
                    "inspector_pool_users",
                )
            },
        ),
        (_("抽取"), {"fields": PLAN_DRAW_FIELDS}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.state != PlanState.DRAFT:
            return [name for _title, options in self.fieldsets for name in options["fields"]]
        return PLAN_DRAW_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.state != PlanState.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)


def _pretty(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2))


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdmin):
    """周排名 / 月考核 snapshots, read-only: written once by the beat (a database trigger refuses
    updates and deletes); a re-run for the same period must reproduce the digest."""

    list_display = ("kind", "scope", "first_day", "last_day", "created_at", "short_digest")
    list_filter = ("kind", "scope")
    date_hierarchy = "first_day"
    list_select_related = ("scope",)
    fields = (
        "kind",
        "scope",
        "first_day",
        "last_day",
        "created_at",
        "digest",
        "formula_text",
        "weights_json",
        "rows_json",
    )
    readonly_fields = fields

    @admin.display(description=_("校验值"))
    def short_digest(self, obj: RankingSnapshot) -> str:
        return obj.digest[:12]

    @admin.display(description=_("计分公式"))
    def formula_text(self, obj: RankingSnapshot) -> str:
        return format_html("<pre>{}</pre>", obj.formula)

    @admin.display(description=_("权重"))
    def weights_json(self, obj: RankingSnapshot) -> str:
        return _pretty(obj.weights)

    @admin.display(description=_("排名结果"))
    def rows_json(self, obj: RankingSnapshot) -> str:
        return _pretty(obj.rows)


@admin.register(InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    """督察轮次 are back-office data: entered when the team is stationed, with the lead office
    (市督察整改办) whose staff run the batches."""

    list_display = ("name", "level", "region", "lead_office", "stationed_from", "feedback_on")
    list_filter = ("level", "region")
    filter_horizontal = ("staff", "inspected_units")
    exclude = ("created_at",)

    def save_model(self, request: Any, obj: InspectionRound, form: Any, change: bool) -> None:
        if not change:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ForwardedBatch)
class ForwardedBatchAdmin(ReadOnlyAdmin):
    list_display = ("round", "number", "received_at", "reply_due_at")
    list_filter = ("round",)


@admin.register(ForwardedComplaint)
class ForwardedComplaintAdmin(ReadOnlyAdmin):
    list_display = ("case_no", "acceptance_no", "title", "state", "handling_status", "due_at")
    list_filter = ("state", "handling_status", "batch__round", "jurisdiction")
    search_fields = ("case_no", "acceptance_no", "title")
    date_hierarchy = "created_at"


@admin.register(ForwardedPublication)
class ForwardedPublicationAdmin(ReadOnlyAdmin):
    """Signed 一览表, read-only: a database trigger refuses updates and deletes."""

    list_display = ("batch", "number", "day", "signed_by", "signed_at")
    list_filter = ("batch__round",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """专项行动 are made on their console page; the admin corrects their period, units and
    targets (the 调度令 already issued stay as they were)."""

    list_display = ("name", "kind", "region", "lead_unit", "starts_on", "ends_on", "clear_by")
    list_filter = ("kind", "region")
    search_fields = ("name",)
    filter_horizontal = ("units",)
    raw_id_fields = ("targets", "places")
    exclude = ("created_at", "created_by")

    def save_model(self, request: Any, obj: Campaign, form: Any, change: bool) -> None:
        if not change:
            obj.created_at = timezone.now()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CampaignOrder)
class CampaignOrderAdmin(ReadOnlyAdmin):
    """Issued 调度令, read-only: a database trigger refuses updates and deletes."""

    list_display = ("number", "campaign", "title", "issued_by", "issued_at", "target_count")
    list_filter = ("campaign",)
    search_fields = ("number", "title")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """污染源/点位 without a credit code (工地, 道路, 餐饮 …): what patrols and their cases
    point at."""

    list_display = ("name", "kind", "address", "jurisdiction", "responsible_unit", "active")
    list_filter = ("kind", "active", "jurisdiction")
    search_fields = ("name", "address", "owner")
    list_select_related = ("jurisdiction", "responsible_unit")
    exclude = ("created_at",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(RapidItem)
class RapidItemAdmin(CaseAdmin):
    list_display = ("case_no", "title", "state", "responsible_unit", "respond_by", "dispose_by")
    list_filter = ("state", "jurisdiction", "campaign")


class PatrolFindingInline(admin.TabularInline):
    model = PatrolFinding
    fields = ("found_at", "location", "place", "description", "case")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    """巡查记录 as filed on the console; each finding is a case of its own."""

    list_display = ("area", "shift", "unit", "campaign", "started_at", "ended_at")
    list_filter = ("shift", "region", "campaign")
    search_fields = ("area", "summary")
    inlines = (PatrolFindingInline,)


@admin.register(EmergencyResponse)
class EmergencyResponseAdmin(admin.ModelAdmin):
    """应急响应期间: enter one before the rankings of its period are taken (they read it then)."""

    list_display = ("name", "region", "starts_on", "ends_on", "indicators")
    list_filter = ("region",)
    exclude = ("created_at",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)
