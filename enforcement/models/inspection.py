"""Inspections in the field (现场检查) and the 双随机、一公开 plans that draw them.

An inspection is a case of its own (kind "inspection"): it can be scheduled as a task (a random
draw, a 复查 of a correction order, a complaint to check), its on-site record and photos are the
evidence of its `record` event, and a random inspection's result owes publication within 20
working days — a deadline row like any other. See reference/domain.md §2.2 #2 and §2.7.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from workflow import permissions as perms
from workflow.models import Case
from workflow.models.case import transition_now
from workflow.models.unit import Unit


class InspectorCredential(models.Model):
    """执法证: an inspection needs at least two inspectors holding one (行政处罚法 第四十二条)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.CASCADE,
        related_name="credential",
    )
    number = models.CharField(_("执法证号"), max_length=40, unique=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = pgettext_lazy("plural", "执法证")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return gettext("%(name)s（%(number)s）") % {"name": name, "number": self.number}

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or day <= self.valid_until


class InspectionType(models.TextChoices):
    DAILY = "daily", _("日常检查")
    RANDOM = "random", _("双随机抽查")
    SPECIAL = "special", _("专项检查")
    COMPLAINT = "complaint", _("投诉核查")
    CENTRAL = "central", _("督察交办")
    RECHECK = "recheck", _("复查")


class InspectionState(models.TextChoices):
    SCHEDULED = "scheduled", _("待检查")
    RECORDED = "recorded", _("已检查待公开")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


def from_random_plan(inspection: Any) -> bool:
    return inspection.plan_id is not None


def not_from_random_plan(inspection: Any) -> bool:
    return inspection.plan_id is None


class Inspection(Case):
    """现场检查: who inspected whom, when, what they found against the checklist, with evidence."""

    #: Whom or what was inspected: a registered enterprise, or a place without a credit code
    #: (a 工地 checked against a campaign's checklist); one of the two.
    enterprise = models.ForeignKey(
        "enforcement.Enterprise",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="inspections",
        null=True,
        blank=True,
    )
    place = models.ForeignKey(
        "enforcement.Place",
        verbose_name=_("被检查点位"),
        on_delete=models.PROTECT,
        related_name="inspections",
        null=True,
        blank=True,
    )
    inspection_type = models.CharField(
        _("检查类型"), max_length=20, choices=InspectionType.choices, default=InspectionType.DAILY
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人员"),
        related_name="inspections_done",
        blank=True,
    )
    #: A task's day (a random draw, a 复查): the inspection is due by then.
    inspect_by = models.DateField(_("应检查日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("检查开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("检查结束时间"), null=True, blank=True)
    location = models.CharField(_("检查地点"), max_length=200, blank=True)
    on_site_person = models.CharField(_("现场负责人"), max_length=100, blank=True)
    #: The checklist as answered: [{"code", "item", "result": "ok"|"problem"|"na", "note"}].
    checklist = models.JSONField(_("检查事项"), default=list, blank=True)
    findings = models.TextField(_("检查情况"), blank=True)
    problem_found = models.BooleanField(_("发现问题"), default=False)
    #: 现场检查笔录 number, given when the record is made: 小店检录〔2026〕0001号.
    record_no = models.CharField(_("笔录编号"), max_length=60, blank=True)
    #: The case this inspection checks (a complaint's or a 督察 item's verification).
    subject_case = models.ForeignKey(
        Case,
        verbose_name=_("核查事项"),
        on_delete=models.PROTECT,
        related_name="checking_inspections",
        null=True,
        blank=True,
    )
    plan = models.ForeignKey(
        "enforcement.RandomInspectionPlan",
        verbose_name=_("双随机抽查计划"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    #: The 调度令 that dispatched it (a campaign's check, answering the campaign's checklist).
    order = models.ForeignKey(
        "enforcement.CampaignOrder",
        verbose_name=_("调度令"),
        on_delete=models.PROTECT,
        related_name="checks",
        null=True,
        blank=True,
    )
    #: What the public results page says (public-safe: no personal data).
    public_result = models.TextField(_("公开的检查结果"), blank=True)
    published_at = models.DateTimeField(_("结果公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("现场检查")
        verbose_name_plural = pgettext_lazy("plural", "现场检查")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(place__isnull=False),
                name="inspection_has_target",
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "started_at"], name="inspection_by_enterprise"),
            models.Index(
                fields=["inspect_by"],
                name="inspection_scheduled",
                condition=Q(inspect_by__isnull=False),
            ),
        ]

    @property
    def target(self) -> Any:
        """The enterprise or the place inspected (both have a name and an address)."""
        return self.enterprise if self.enterprise_id else self.place

    @transition(
        field="state",
        source=InspectionState.SCHEDULED,
        target=InspectionState.COMPLETED,
        permission=perms.rule("enforcement.inspect"),
        conditions=[not_from_random_plan],
        custom={
            "label": _("填写检查记录"),
            "form": "enforcement.inspections.forms.RecordForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def record(self, **record: Any) -> None:
        self._apply_record(record)

    @transition(
        field="state",
        source=InspectionState.SCHEDULED,
        target=InspectionState.RECORDED,
        permission=perms.rule("enforcement.inspect"),
        conditions=[from_random_plan],
        custom={
            "label": _("填写检查记录"),
            "form": "enforcement.inspections.forms.RecordForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def record_random(self, **record: Any) -> None:
        self._apply_record(record)

    def _apply_record(self, record: dict[str, Any]) -> None:
        inspectors = record.pop("inspectors")
        for name, value in record.items():
            setattr(self, name, value)
        # The many-to-many is written by the after-transition hook, once the row is saved.
        self.__dict__["recorded_inspectors"] = list(inspectors)

    @transition(
        field="state",
        source=InspectionState.RECORDED,
        target=InspectionState.COMPLETED,
        permission=perms.rule("enforcement.publish_random_results"),
        custom={
            "label": _("公开检查结果"),
            "form": "enforcement.inspections.forms.PublishResultForm",
            "style": "primary",
        },
    )
    def publish_result(self, *, public_result: str) -> None:
        self.public_result = public_result
        self.published_at = transition_now(self)

    @transition(
        field="state",
        source=InspectionState.SCHEDULED,
        target=InspectionState.CANCELLED,
        permission=perms.rule("enforcement.plan_inspections"),
        custom={"label": _("取消检查任务"), "note": "required", "style": "danger"},
    )
    def cancel(self) -> None:
        """A task that cannot be done (the enterprise closed down): the reason is the note."""


class PlanState(models.TextChoices):
    DRAFT = "draft", _("待抽取")
    DRAWN = "drawn", _("已抽取")
    PUBLISHED = "published", _("结果已公开")


class RandomInspectionPlan(models.Model):
    """双随机、一公开: a quarter's draw of inspection targets and inspector pairs.

    The draw is reproducible: the pools are frozen into `target_pool` and `inspector_pool` at draw
    time and, with the stored `seed`, `enforcement.inspections.draw.draw` gives the same result
    again; the seed is published with the result.
    """

    jurisdiction = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="random_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"),
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
    )
    title = models.CharField(_("计划名称"), max_length=200)
    #: {tier: share} at draw time, from ECOLOOP_RANDOM_RATIOS unless the plan set its own.
    ratios = models.JSONField(_("抽查比例"), default=dict)
    conflict_days = models.PositiveSmallIntegerField(_("回避期限(日)"), default=365)
    inspect_by = models.DateField(_("检查完成期限"))
    inspector_pool_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员库"), related_name="+", blank=True
    )
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    #: Frozen at draw time: [enterprise id, …] per tier, and the inspector ids, both sorted.
    target_pool = models.JSONField(_("抽查对象库"), default=dict, blank=True)
    inspector_pool = models.JSONField(_("执法人员库快照"), default=list, blank=True)
    #: {enterprise id: [inspector id, …]}: who may not draw whom (their own recent inspections).
    conflicts = models.JSONField(_("回避关系"), default=dict, blank=True)
    #: The result as drawn: [{"enterprise": id, "inspectors": [id, id]}, …] in draw order.
    result = models.JSONField(_("抽取结果"), default=list, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("结果全部公开时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("双随机抽查计划")
        verbose_name_plural = pgettext_lazy("plural", "双随机抽查计划")
        ordering = ["-year", "-quarter", "jurisdiction__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "quarter", "title"], name="random_plan_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title
