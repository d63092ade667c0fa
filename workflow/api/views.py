"""The case API: list and read what the user may see; move a case through transition_case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from workflow.api.filters import CaseFilter
from workflow.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    RelatedCaseSerializer,
    SplitRequestSerializer,
    TransitionRequestSerializer,
    TransitionUploadSerializer,
    visible_children,
)
from workflow.forms import split_formset
from workflow.models import Case
from workflow.relations import split_case
from workflow.selectors import visible_case
from workflow.transitions import (
    CaseNotFound,
    TransitionError,
    transition_case,
    transition_labels,
)
from workflow.views.children import may_split

ErrorSerializer = inline_serializer(
    "TransitionError",
    {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)},
)
DetailSerializer = inline_serializer("Error", {"detail": serializers.CharField()})
#: What every list and read may answer besides 200 (the complaints API shares them).
LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("筛选条件有误")),
    403: OpenApiResponse(DetailSerializer, description=gettext_lazy("未登录")),
    404: OpenApiResponse(DetailSerializer, description=gettext_lazy("页码超出范围")),
}
READ_ERRORS = {
    403: OpenApiResponse(DetailSerializer, description=gettext_lazy("未登录")),
    404: OpenApiResponse(DetailSerializer, description=gettext_lazy("不存在或无权查看")),
}


@extend_schema_view(
    list=extend_schema(responses={200: CaseSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: CaseDetailSerializer, **READ_ERRORS}),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases within the user's jurisdiction; one outside it is 404, exactly like a missing one."""

    serializer_class = CaseSerializer
    # An id a database column can hold; anything else is an unknown URL (JSON 404).
    lookup_value_regex = r"[0-9]{1,18}"
    filterset_class = CaseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Case]:
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("jurisdiction", "responsible_unit")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            case = visible_case(request.user, int(kwargs["pk"]))
        except (Case.DoesNotExist, ValueError):
            return Response(
                {"detail": _("案件不存在或您无权查看。")}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        request={
            "application/json": TransitionRequestSerializer,
            "multipart/form-data": TransitionUploadSerializer,
        },
        responses={
            200: CaseDetailSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("内容不完整或不满足条件")
            ),
            403: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("未登录，或无权执行此操作")
            ),
            404: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("案件不存在或无权查看，或没有这项操作")
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy("案件已变为别的状态（已被他人办理），本次操作未执行"),
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[^/]+)")
    def transition(self, request: Request, pk: str, transition: str) -> Response:
        """Take one transition of the closed loop (交办, 签收, 反馈, 核查, 销号 …).

        Send `expected_state`, the state you last read, and a case that has moved since is
        refused with 409 instead of a step taken on a case you have not seen."""
        body = TransitionRequestSerializer(data=request.data)
        if not body.is_valid():
            return Response(
                {"detail": _("请求内容有误，请检查后重试。"), "errors": body.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            case = visible_case(request.user, int(pk))
        except (Case.DoesNotExist, ValueError):
            return Response(
                {"detail": _("案件不存在或您无权查看。")}, status=status.HTTP_404_NOT_FOUND
            )
        if transition not in transition_labels(case):
            return Response(
                {"detail": _("没有这项操作：%(name)s。") % {"name": transition}},
                status=status.HTTP_404_NOT_FOUND,
            )
        try:
            transition_case(
                case,
                transition,
                actor=request.user,
                note=body.validated_data["note"],
                payload=body.validated_data["payload"],
                files=request.FILES.getlist("files"),
                expected_state=body.validated_data["expected_state"] or None,
            )
        except TransitionError as error:
            return Response({"detail": error.message, "errors": error.errors}, status=error.status)
        fresh = visible_case(request.user, int(pk))
        return Response(CaseDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: RelatedCaseSerializer(many=True), **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        request=SplitRequestSerializer,
        responses={
            201: RelatedCaseSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("分办内容有误，未分办")),
            403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("未登录，或无权分办")),
            404: OpenApiResponse(ErrorSerializer, description=gettext_lazy("案件不存在或无权查看")),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="children",
        pagination_class=None,
        filter_backends=[],
    )
    def children(self, request: Request, pk: str) -> Response:
        """分办: the child cases of co-units (GET), or give several co-units their shares in one
        call (POST), all or none: a refused share splits nothing. The lead unit's 整改反馈 waits
        for the co-units' and sums them up; the case closes only when every child has."""
        try:
            case = visible_case(request.user, int(pk))
        except (Case.DoesNotExist, ValueError):
            return Response(
                {"detail": _("案件不存在或您无权查看。")}, status=status.HTTP_404_NOT_FOUND
            )
        if request.method == "GET":
            children = visible_children(request.user, case)
            return Response(RelatedCaseSerializer(children, many=True).data)
        if not case.case_type.splits:
            return Response({"detail": _("此类案件不能分办。")}, status=status.HTTP_400_BAD_REQUEST)
        if not may_split(request.user, case):
            return Response(
                {"detail": _("只有调度员可以分办未办结的案件。")},
                status=status.HTTP_403_FORBIDDEN,
            )
        body = SplitRequestSerializer(data=request.data)
        if not body.is_valid():
            return Response(
                {"detail": _("请求内容有误，请检查后重试。"), "errors": body.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        shares = body.validated_data["shares"]
        now = timezone.now()
        data = {"share-TOTAL_FORMS": len(shares), "share-INITIAL_FORMS": 0}
        for i, share in enumerate(shares):
            data.update(
                {f"share-{i}-{key}": value for key, value in share.items() if value is not None}
            )
        formset = split_formset(case, request.user, now, data, required=len(shares))
        if not formset.is_valid():
            errors: dict[str, Any] = {"shares": [dict(f.errors) for f in formset.forms]}
            if formset.non_form_errors():
                errors["non_field_errors"] = list(formset.non_form_errors())
            return Response(
                {"detail": _("分办内容有误，未分办任何单位。"), "errors": errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            children = split_case(case, formset.shares(), actor=request.user, now=now)
        except CaseNotFound as error:
            return Response({"detail": error.message}, status=status.HTTP_404_NOT_FOUND)
        except TransitionError as error:
            return Response({"detail": error.message, "errors": error.errors}, status=error.status)
        made = visible_children(request.user, case).filter(pk__in=[c.pk for c in children])
        return Response(RelatedCaseSerializer(made, many=True).data, status=status.HTTP_201_CREATED)
