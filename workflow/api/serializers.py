"""JSON shapes of the case API. Reads only: every write goes through transition_case."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from workflow.api.filters import CODE_PATTERN
from workflow.models import Attachment, Case, Deadline
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


class CaseDetailSerializer(CaseSerializer):
    description = serializers.CharField(read_only=True)
    deadlines = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "description",
            "deadlines",
            "events",
            "available_transitions",
        ]
        read_only_fields = fields

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
