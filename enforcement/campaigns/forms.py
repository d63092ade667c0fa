"""A campaign's form (its units, checklist and targets) and its 调度令's."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from enforcement.campaigns.services import place_choices, target_choices, unit_choices
from enforcement.complaints.duplicates import target_key
from enforcement.models import Campaign, Enterprise, Inspection, Place
from workflow import calendar
from workflow.models import Unit

DATE = forms.DateInput(attrs={"type": "date"})
#: At most this many checklist lines and targets typed into a campaign's form.
MAX_LINES = 2000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]


class CampaignForm(forms.ModelForm):
    checklist_text = forms.CharField(
        label=_("检查清单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项，如工地“六个百分百”的各项；留空则检查时使用通用检查事项。"),
    )
    targets_text = forms.CharField(
        label=_("检查对象"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "每行一个统一社会信用代码或单位全称（须在排污单位名录中），"
            "或一个点位名称（须在点位名录中，如工地、餐饮店）。"
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "kind",
            "lead_unit",
            "units",
            "starts_on",
            "ends_on",
            "clear_by",
            "requirement",
            "response_hours",
            "disposal_hours",
        ]
        help_texts = {
            "response_hours": _("巡查发现问题交办后多少小时内签收响应；留空按本局设定（2小时）。"),
            "disposal_hours": _("交办后多少小时内处置并反馈；留空按本局设定（24小时）。"),
        }
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "starts_on": DATE,
            "ends_on": DATE,
            "clear_by": DATE,
            "requirement": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, region: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        units = unit_choices(region)
        for name in ("lead_unit", "units"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units
        self.fields["lead_unit"].empty_label = _("请选择牵头单位")  # type: ignore[attr-defined]
        self.fields["units"].help_text = _("收到调度令的单位，牵头单位可一并勾选。")

    def clean_checklist_text(self) -> list[dict[str, str]]:
        lines = _lines(self.cleaned_data["checklist_text"])
        if len(lines) > 50:
            raise forms.ValidationError(_("检查清单最多 50 项。"))
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("每项检查内容不超过 200 字。"))
        return [{"code": f"c{n}", "item": line} for n, line in enumerate(lines, start=1)]

    def clean_targets_text(self) -> list[Enterprise | Place]:
        """Each line a credit code or an enterprise's full name, else a registered place's name."""
        lines = _lines(self.cleaned_data["targets_text"])
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("一次最多填写 %(n)s 个检查对象。") % {"n": MAX_LINES})
        pool = target_choices(self.region)
        codes = [line.upper() for line in lines if re.fullmatch(r"[0-9A-Za-z]{18}", line)]
        by_code = {e.uscc: e for e in pool.filter(uscc__in=codes)}
        keys = {target_key(line): line for line in lines if line.upper() not in by_code}
        by_key: dict[str, list[Enterprise]] = {}
        for enterprise in pool.filter(name_key__in=keys):
            by_key.setdefault(enterprise.name_key, []).append(enterprise)
        places: dict[str, list[Place]] = {}
        for place in place_choices(self.region).filter(name__in=lines):
            places.setdefault(place.name, []).append(place)
        found: dict[tuple[str, int], Enterprise | Place] = {}
        unknown = []
        for line in lines:
            match: Enterprise | Place | None = by_code.get(line.upper())
            named = by_key.get(target_key(line), [])
            if match is None and len(named) == 1:
                match = named[0]
            if match is None and len(places.get(line, [])) == 1:
                match = places[line][0]
            if match is None:
                unknown.append(line)
            else:
                found[(type(match).__name__, match.pk)] = match
        if unknown:
            raise forms.ValidationError(
                _("以下检查对象不在本局的排污单位名录或点位名录中（或名称对应多个对象）：%(lines)s")
                % {"lines": pgettext("list separator", "、").join(unknown[:20])}
            )
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends, clear_by = (cleaned.get(k) for k in ("starts_on", "ends_on", "clear_by"))
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        if starts and clear_by and clear_by < starts:
            self.add_error("clear_by", _("清零日期不能早于开始日期。"))
        return cleaned

    def save(self, commit: bool = True) -> Campaign:
        campaign = super().save(commit=False)
        campaign.region = self.region
        campaign.checklist = self.cleaned_data["checklist_text"]
        if commit:
            campaign.save()
            self.save_m2m()
            targets = self.cleaned_data["targets_text"]
            campaign.targets.set([t for t in targets if isinstance(t, Enterprise)])
            campaign.places.set([t for t in targets if isinstance(t, Place)])
        return campaign


class OrderForm(forms.Form):
    """调度令: what the units must do and by when; which units and which targets."""

    title = forms.CharField(label=_("标题"), max_length=120)
    requirement = forms.CharField(
        label=_("调度要求"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    units = forms.ModelMultipleChoiceField(
        label=_("交办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rectify_due = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    check_targets = forms.BooleanField(
        label=_("同时对检查对象开展专项检查"),
        required=False,
        help_text=_(
            "对本行动尚无检查任务的每个检查对象，各安排一次专项检查，使用本行动的检查清单。"
        ),
    )
    inspect_by = forms.DateField(label=_("检查期限"), required=False, widget=DATE)

    def __init__(self, *args: Any, campaign: Campaign, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.now = now
        self._open_targets: list[Enterprise | Place] | None = None
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = campaign.units.order_by("path")
        field.initial = list(campaign.units.values_list("pk", flat=True))
        if self.open_targets():
            self.fields["check_targets"].initial = True
        else:  # every target has its check already (or the campaign has none)
            del self.fields["check_targets"]
            del self.fields["inspect_by"]

    def open_targets(self) -> list[Enterprise | Place]:
        """The targets (enterprises, then places) no earlier 调度令 of the campaign has a check
        of; read once per form."""
        if self._open_targets is not None:
            return self._open_targets
        checks = Inspection.objects.filter(order__campaign=self.campaign)
        enterprises = self.campaign.targets.exclude(
            pk__in=checks.filter(enterprise__isnull=False).values("enterprise_id")
        ).select_related("jurisdiction")
        places = self.campaign.places.exclude(
            pk__in=checks.filter(place__isnull=False).values("place_id")
        ).select_related("jurisdiction")
        self._open_targets = [*enterprises.order_by("pk"), *places.order_by("pk")]
        return self._open_targets

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = calendar.local_date(self.now)
        units, checks = cleaned.get("units"), cleaned.get("check_targets")
        if not units and not checks:
            raise forms.ValidationError(_("请至少勾选一个交办单位，或对检查对象开展检查。"))
        for name, needed in (("rectify_due", bool(units)), ("inspect_by", bool(checks))):
            day = cleaned.get(name)
            if needed and day is None:
                self.add_error(name, _("请填写日期。"))
            elif day is not None and day <= today:
                self.add_error(name, _("期限必须晚于今天。"))
            elif day is not None and day > self.campaign.clear_by:
                self.add_error(
                    name,
                    _("期限不能晚于本行动的清零日期 %(day)s。")
                    % {"day": f"{self.campaign.clear_by:%Y-%m-%d}"},
                )
        return cleaned

    def targets(self) -> list[Enterprise | Place]:
        if not self.cleaned_data.get("check_targets"):
            return []
        return self.open_targets()
