"""The staff's complaints API: list and read the complaints a user may see (session auth).

Reads only. Every transition (受理, 交办 …) goes through the generic endpoint
``/api/cases/{id}/transitions/{name}/`` and so through `transition_case`. The tracking code (the
reporter's key to rating the reply) and anything of the reporter's identity are not fields here:
the identity table is reachable only through the intake role's logged reveal.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from enforcement.models import Complaint, ComplaintCategory, Track
from workflow.api.filters import CodeFilter, IdFilter, MomentRangeFilter
from workflow.api.views import LIST_ERRORS, READ_ERRORS
from workflow.querysets import visible_cases_q


def _maybe_blank(name: str) -> serializers.ChoiceField:
    """A choice the case may not have made yet: one of its values, or "" (DRF drops
    `allow_blank` from read-only model fields, and the schema would then say "never empty")."""
    field = Complaint._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return serializers.ChoiceField(
        choices=field.choices or [], allow_blank=True, read_only=True, label=field.verbose_name
    )


class ComplaintSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    track_label = serializers.CharField(source="get_track_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.name", read_only=True)
    responsible_unit = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=None, allow_null=True
    )
    merged_into = serializers.CharField(
        source="merged_into.case_no", read_only=True, default=None, allow_null=True
    )
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    track = _maybe_blank("track")
    reply_outcome = _maybe_blank("reply_outcome")
    rating = _maybe_blank("rating")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "case_no",
            "title",
            "state",
            "state_label",
            "category",
            "category_label",
            "track",
            "track_label",
            "channel",
            "channel_label",
            "jurisdiction",
            "responsible_unit",
            "target_name",
            "target_uscc",
            "target_address",
            "location",
            "latitude",
            "longitude",
            "received_at",
            "accepted_at",
            "handle_due",
            "handle_extended_days",
            "repeat_count",
            "merged_into",
            "reply_outcome",
            "replied_at",
            "rating",
            "rating_label",
            "rated_at",
            "due_at",
            "escalation_level",
            "closed_at",
        ]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    not_accepted_reason = _maybe_blank("not_accepted_reason")

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "description",
            "since",
            "ongoing",
            "not_accepted_reason",
            "redirect_to",
            "public_reason",
            "reply_request",
            "reply_facts",
            "reply_opinion",
            "reply_basis",
            "rating_reason",
            "redo_count",
            "review_requested_at",
            "review_opinion",
            "review_decided_at",
        ]
        read_only_fields = fields


class ComplaintFilter(django_filters.FilterSet):
    state = CodeFilter(label=_("状态"))
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices, label=_("问题类别"))
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("办理类别"))
    jurisdiction = IdFilter(field_name="jurisdiction_id", label=_("管辖单位"))
    received_at = MomentRangeFilter(label=_("收到时间"))

    class Meta:
        model = Complaint
        fields = ["state", "category", "track", "jurisdiction", "received_at"]


@extend_schema_view(
    list=extend_schema(responses={200: ComplaintSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ComplaintDetailSerializer, **READ_ERRORS}),
)
class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Complaint]
):
    """信访投诉件 within the user's jurisdiction; one outside it is 404, like a missing one.

    To act on a complaint, POST to ``/api/cases/{id}/transitions/{name}/`` with the same id.
    """

    filterset_class = ComplaintFilter

    def get_queryset(self) -> QuerySet[Complaint]:
        return (
            # `visible_to(user)`'s condition, on the subtype's manager (which is typed as such).
            Complaint.objects.filter(visible_cases_q(self.request.user))
            .select_related("jurisdiction", "responsible_unit", "merged_into")
            .order_by("-received_at", "-pk")
        )

    def get_serializer_class(self) -> Any:
        return ComplaintDetailSerializer if self.action == "retrieve" else ComplaintSerializer
