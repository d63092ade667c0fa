"""A patrol's forms (start, a finding, the end) and 交办 of a 即知即改事项 (the unit only: the
hours decide its limits)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enforcement.models import Patrol, Shift
from enforcement.patrols import services
from workflow.forms import TransitionForm, assignable_units
from workflow.models import Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RapidAssignForm(TransitionForm):
    """交办 a 即知即改事项: the unit; its 响应 and 处置 limits run from now, in hours."""

    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), empty_label=_("请选择责任单位")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_units(self.case)
        item = self.case.specific
        field.help_text = _("交办后%(response)d小时内签收响应，%(disposal)d小时内处置并反馈。") % {
            "response": item.response_hours,  # type: ignore[attr-defined]
            "disposal": item.disposal_hours,  # type: ignore[attr-defined]
        }


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class PatrolForm(forms.Form):
    area = forms.CharField(label=_("巡查区域或路线"), max_length=200)
    shift = forms.ChoiceField(label=_("班次"), choices=Shift.choices, initial=Shift.DAY)
    campaign = forms.ModelChoiceField(
        label=_("专项行动"),
        queryset=services.Campaign.objects.none(),
        required=False,
        empty_label=_("不属于专项行动"),
    )
    patrollers = PersonChoiceField(
        label=_("同行巡查人员"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("填报人本人自动列入。"),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = unit.region()
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ModelChoiceField)
        campaign.queryset = services.campaign_choices(region)
        people = self.fields["patrollers"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = (
            get_user_model()
            .objects.filter(is_active=True, staff__unit=unit)
            .distinct()
            .order_by("username")
        )


class FindingForm(forms.Form):
    """发现问题: what, where (a registered place or a description), and to whom at once."""

    field_order = [
        "description",
        "place",
        "location",
        "requirement",
        "unit",
        "longitude",
        "latitude",
    ]

    description = forms.CharField(
        label=_("发现问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.ModelChoiceField(
        label=_("点位"),
        queryset=services.Place.objects.none(),
        required=False,
        empty_label=_("不在点位名录中"),
    )
    location = forms.CharField(
        label=_("发现地点"),
        max_length=200,
        required=False,
        help_text=_("选择了点位的可不填，默认为点位位置。"),
    )
    requirement = forms.CharField(
        label=_("处置要求"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unit = forms.ModelChoiceField(
        label=_("交办责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("由调度员交办"),
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )

    def __init__(self, *args: Any, patrol: Patrol, may_assign: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = services.place_choices(patrol.region).select_related("responsible_unit")
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        if may_assign:
            unit.queryset = services.unit_choices(patrol.region)
            unit.help_text = _("选择后立即交办；不选则按点位的属地责任单位交办。")
        else:
            del self.fields["unit"]
        self.may_assign = may_assign

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("place") and not cleaned.get("location"):
            self.add_error("location", _("请选择点位或填写发现地点。"))
        return cleaned

    def finding(self) -> services.Finding:
        data = self.cleaned_data
        place = data.get("place")
        unit = data.get("unit")
        if self.may_assign and unit is None and place is not None:
            unit = place.responsible_unit
        return services.Finding(
            description=data["description"],
            location=data.get("location", ""),
            place=place,
            requirement=data.get("requirement", ""),
            longitude=data.get("longitude"),
            latitude=data.get("latitude"),
            unit=unit,
        )


class EndForm(forms.Form):
    summary = forms.CharField(
        label=_("巡查小结"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
