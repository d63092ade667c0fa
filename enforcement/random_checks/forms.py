"""Forms of the 双随机 plan pages: a new plan, the draw's seed, the public texts of results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from enforcement.inspections.draw import TIER_ORDER
from enforcement.models import SupervisionTier
from enforcement.views import jurisdiction_choices
from workflow import calendar
from workflow.models.unit import Unit, unit_of

QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]


def ratio_field_name(tier: str) -> str:
    return f"ratio_{tier}"


def pool_candidates(user: Any, today: dt.date) -> Any:
    """Active people of the user's unit (and below) holding a 执法证 valid today."""
    unit = unit_of(user)
    users = get_user_model().objects.filter(is_active=True, credential__isnull=False)
    if unit is None:
        return users.none()
    return (
        users.filter(staff__unit__path__startswith=unit.path)
        .exclude(credential__valid_until__lt=today)
        .select_related("credential", "staff__unit")
        .order_by("staff__unit__path", "credential__number")
    )


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return gettext("%(name)s（%(number)s，%(unit)s）") % {
            "name": name,
            "number": obj.credential.number,
            "unit": obj.staff.unit,
        }


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    jurisdiction = forms.ModelChoiceField(
        label=_("组织单位"), queryset=Unit.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int)
    inspect_by = forms.DateField(
        label=_("检查完成期限"), widget=forms.DateInput(attrs={"type": "date"})
    )
    conflict_days = forms.IntegerField(
        label=_("回避期限(日)"),
        min_value=0,
        max_value=3650,
        help_text=_("执法人员在此期限内检查过的单位，不会被抽中由其检查。"),
    )
    inspectors = InspectorChoiceField(
        label=_("执法人员库"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只列出持有效执法证的在岗人员；每个抽查对象由两名执法人员检查。"),
    )

    def __init__(self, *args: Any, user: Any, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = calendar.local_date(now)
        self.today = today
        jurisdiction = self.fields["jurisdiction"]
        assert isinstance(jurisdiction, forms.ModelChoiceField)
        jurisdiction.queryset = jurisdiction_choices(user)
        unit = unit_of(user)
        if unit is not None:
            jurisdiction.initial = unit.region().pk
        inspectors = self.fields["inspectors"]
        assert isinstance(inspectors, forms.ModelMultipleChoiceField)
        inspectors.queryset = pool_candidates(user, today)
        quarter = (today.month - 1) // 3 + 1
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = quarter
        self.fields["conflict_days"].initial = int(settings.ECOLOOP_RANDOM_CONFLICT_DAYS)
        defaults = settings.ECOLOOP_RANDOM_RATIOS
        for tier in TIER_ORDER:
            self.fields[ratio_field_name(tier)] = forms.DecimalField(
                label=_("%(tier)s抽查比例") % {"tier": SupervisionTier(tier).label},
                min_value=Decimal(0),
                max_value=Decimal(1),
                max_digits=5,
                decimal_places=4,
                initial=defaults.get(str(tier), 0),
                help_text=_("0 到 1 之间，例如 0.25 表示抽取该类单位的25%（向上取整）。"),
                error_messages={
                    "min_value": _("抽查比例应在0到1之间。"),
                    "max_value": _("抽查比例应在0到1之间。"),
                },
            )
        self.order_fields(
            [
                "title",
                "jurisdiction",
                "year",
                "quarter",
                "inspect_by",
                *(ratio_field_name(t) for t in TIER_ORDER),
                "conflict_days",
                "inspectors",
            ]
        )

    def clean_inspect_by(self) -> dt.date:
        day: dt.date = self.cleaned_data["inspect_by"]
        if day < self.today:
            raise forms.ValidationError(_("检查完成期限不能早于今天。"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("jurisdiction")
        chosen = data.get("inspectors")
        if unit is not None and chosen is not None:
            outside = [u for u in chosen if not u.staff.unit.is_within(unit)]
            if outside:
                self.add_error(
                    "inspectors",
                    _("执法人员库只能包含组织单位及其下属单位的人员：%(names)s")
                    % {
                        "names": pgettext("list separator", "、").join(
                            u.get_full_name() or u.get_username() for u in outside
                        )
                    },
                )
            elif len(chosen) < 2:
                self.add_error("inspectors", _("执法人员库至少需要两名执法人员。"))
        ratios = [data.get(ratio_field_name(t)) for t in TIER_ORDER]
        if all(r is not None for r in ratios) and not any(ratios):
            self.add_error(None, _("至少有一类单位的抽查比例应大于0。"))
        return data

    def ratios(self) -> dict[str, float]:
        return {str(t): float(self.cleaned_data[ratio_field_name(t)]) for t in TIER_ORDER}

    def tier_fields(self) -> list[forms.BoundField]:
        return [self[ratio_field_name(t)] for t in TIER_ORDER]


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=64,
        required=False,
        help_text=_("留空则由系统生成随机种子。种子与抽取结果一并公开，任何人可据此复核。"),
    )
