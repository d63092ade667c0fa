"""JSON shapes of the case API. Reads only: every write goes through transition_case."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflow.api.filters import CODE_PATTERN
from workflow.forms import MAX_SHARES
from workflow.models import Attachment, Case, Deadline
from workflow.models.case import Clock
from workflow.selectors import TimelineEntry


class CaseSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.name", read_only=True)
    responsible_unit = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=None, allow_null=True
    )
    due_status = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "case_no",
            "kind",
            "title",
            "state",
            "state_label",
            "jurisdiction",
            "responsible_unit",
            "rectify_due",
            "due_at",
            "due_provisional",
            "due_status",
            "escalation_level",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_due_status(self, case: Case) -> str:
        from workflow.deadline_status import deadline_tone

        return deadline_tone(case, self.context["now"])


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = [
            "kind",
            "label",
            "basis",
            "for_state",
            "clock",
            "length",
            "starts_at",
            "due_date",
            "due_at",
            "provisional",
            "status",
            "closed_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return reverse("attachment", kwargs={"pk": attachment.pk})


class EventSerializer(serializers.Serializer):
    seq = serializers.IntegerField(source="event.seq")
    transition = serializers.CharField(source="event.transition")
    label = serializers.CharField()
    from_state = serializers.CharField(source="event.from_state")
    to_state = serializers.CharField(source="event.to_state")
    actor = serializers.SerializerMethodField()
    actor_role = serializers.CharField(source="role_label")
    actor_unit = serializers.CharField(source="event.actor_unit")
    note = serializers.CharField(source="event.note")
    created_at = serializers.DateTimeField(source="event.created_at")
    attachments = AttachmentSerializer(many=True)

    def get_actor(self, entry: TimelineEntry) -> str:
        actor = entry.event.actor
        return (actor.get_full_name() or actor.get_username()) if actor else _("系统")


class RelatedCaseSerializer(serializers.ModelSerializer):
    """A parent or child case (分办) in a case's reading."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    responsible_unit = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "case_no",
            "title",
            "state",
            "state_label",
            "responsible_unit",
            "rectify_due",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    description = serializers.CharField(read_only=True)
    parent = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "description",
            "parent",
            "children",
            "deadlines",
            "events",
            "available_transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(RelatedCaseSerializer(allow_null=True))
    def get_parent(self, case: Case) -> dict[str, Any] | None:
        if case.parent_id is None:
            return None
        visible = Case.objects.visible_to(self.context["request"].user)
        parent = visible.filter(pk=case.parent_id).select_related("responsible_unit").first()
        return RelatedCaseSerializer(parent).data if parent is not None else None

    @extend_schema_field(RelatedCaseSerializer(many=True))
    def get_children(self, case: Case) -> list[dict[str, Any]]:
        return list(
            RelatedCaseSerializer(
                visible_children(self.context["request"].user, case), many=True
            ).data
        )

    def get_deadlines(self, case: Case) -> list[dict[str, Any]]:
        from workflow.selectors import case_deadlines

        return list(DeadlineSerializer(case_deadlines(case), many=True).data)

    def get_events(self, case: Case) -> list[dict[str, Any]]:
        from workflow.selectors import timeline

        return list(EventSerializer(timeline(case), many=True).data)

    def get_available_transitions(self, case: Case) -> list[dict[str, Any]]:
        from workflow.transitions import available_transitions

        specs = available_transitions(case, self.context["request"].user, now=self.context["now"])
        return [
            {
                "name": spec.name,
                "label": spec.label,
                "note": spec.note,
                "evidence": spec.evidence,
                "fields": list(spec.form_class.base_fields) if spec.form_class else [],
            }
            for spec in specs
        ]


def visible_children(user: Any, case: Case) -> Any:
    return (
        Case.objects.visible_to(user)
        .filter(parent=case)
        .select_related("responsible_unit")
        .order_by("created_at", "pk")
    )


class FreeTextField(serializers.CharField):
    """Text a person typed: a NUL byte (which no stored text may hold) is dropped, not refused."""

    def to_internal_value(self, data: Any) -> str:
        # Before the validators run, so the null-character one finds nothing to refuse.
        return str(super().to_internal_value(data)).replace("\x00", "")


class TransitionRequestSerializer(serializers.Serializer):
    note = FreeTextField(required=False, allow_blank=True, default="")
    expected_state = serializers.RegexField(
        CODE_PATTERN,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("您上次读取到的案件状态；案件若已变化，操作以 409 拒绝。"),
    )
    payload = serializers.DictField(required=False, default=dict)


class TransitionUploadSerializer(TransitionRequestSerializer):
    """The same request as multipart/form-data, with evidence files (a JSON body has none)."""

    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, write_only=True
    )


class ShareSerializer(serializers.Serializer):
    responsible_unit = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("配合单位的 id")
    )
    note = FreeTextField(max_length=2000, help_text=gettext_lazy("该单位承担的部分和要求"))
    rectify_period = serializers.IntegerField(
        min_value=1, max_value=365, required=False, allow_null=True
    )
    rectify_clock = serializers.ChoiceField(choices=Clock.choices, required=False)
    rectify_due = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("或指定整改期限")
    )


class SplitRequestSerializer(serializers.Serializer):
    """分办: each co-unit's share, with a period (rectify_period, rectify_clock) or a date
    (rectify_due). A share the console's form refuses (a unit not under the case's bureau or
    already holding a share, no deadline) splits nothing."""

    shares = serializers.ListField(child=ShareSerializer(), min_length=1, max_length=MAX_SHARES)
