"""The forms that open an enforcement case (线索) and serve a 责令改正.

They only collect and check what a person typed; the services (`open_enforcement_case`,
`issue_correction_order`) decide and write. Defaults come from where the person started: an
inspection, a complaint, an enterprise or an enforcement case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.models import (
    ClueSource,
    Complaint,
    EnforcementCase,
    Enterprise,
    Inspection,
    InspectionType,
)
from enforcement.penalties.forms import DATE, moment_field, money_field
from workflow.models.unit import Unit
from workflow.roles import Role

#: The clue source an inspection of each type implies.
CLUE_FROM_INSPECTION: dict[str, str] = {
    InspectionType.RANDOM: ClueSource.RANDOM,
    InspectionType.COMPLAINT: ClueSource.COMPLAINT,
    InspectionType.CENTRAL: ClueSource.CENTRAL,
}


def investigator_choices(region: Unit) -> QuerySet[Any]:
    """承办人员: active inspectors of the bureau holding a 执法证 (行政处罚法 第四十二条)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.INSPECTOR,
            staff__unit__path__startswith=region.path,
            credential__isnull=False,
        )
        .select_related("credential")
        .distinct()
        .order_by("pk")
    )


class InvestigatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return gettext("%(name)s（%(number)s）") % {"name": name, "number": obj.credential.number}


class OpenEnforcementForm(forms.Form):
    title = forms.CharField(label=_("案由"), max_length=200)
    description = forms.CharField(label=_("线索情况"), widget=forms.Textarea, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("当事人（排污单位）"), queryset=Enterprise.objects.none(), required=False
    )
    party_name = forms.CharField(
        label=_("当事人名称"),
        max_length=200,
        required=False,
        help_text=_("当事人不在排污单位名录中时填写。"),
    )
    clue_source = forms.ChoiceField(label=_("线索来源"), choices=ClueSource.choices)
    clue_at = moment_field(_("发现线索时间"))
    investigators = InvestigatorField(
        label=_("承办人员（两名以上持执法证人员）"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        region: Unit,
        enterprises: QuerySet[Enterprise],
        now: dt.datetime,
        inspection: Inspection | None = None,
        complaint: Complaint | None = None,
        enterprise: Enterprise | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises
        people = self.fields["investigators"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = investigator_choices(region)
        self.fields["clue_at"].initial = timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")
        source: str = ClueSource.INSPECTION
        team: list[int] = [user.pk]
        if inspection is not None:
            enterprise = enterprise or inspection.enterprise
            source = CLUE_FROM_INSPECTION.get(inspection.inspection_type, ClueSource.INSPECTION)
            team = list(inspection.inspectors.values_list("pk", flat=True)) or team
            self.fields["description"].initial = inspection.findings
        if complaint is not None:
            source = ClueSource.COMPLAINT
            self.fields["title"].initial = complaint.title
            self.fields["description"].initial = complaint.description
            if enterprise is None and complaint.target_uscc:
                enterprise = enterprises.filter(uscc=complaint.target_uscc).first()
            if enterprise is None:
                self.fields["party_name"].initial = complaint.target_name
        if enterprise is not None:
            field.initial = enterprise.pk
        self.fields["clue_source"].initial = source
        self.fields["investigators"].initial = team

    def clean_clue_at(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["clue_at"]
        if moment > self.now:
            raise forms.ValidationError(_("发现线索时间不能晚于现在。"))
        return moment

    def clean_investigators(self) -> Any:
        chosen = self.cleaned_data["investigators"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("请选择至少两名持执法证的执法人员。"))
        return chosen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("enterprise") and not cleaned.get("party_name", "").strip():
            self.add_error("enterprise", _("请选择排污单位，或填写当事人名称。"))
        return cleaned


class CorrectionOrderForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("当事人（排污单位）"), queryset=Enterprise.objects.none()
    )
    violation = forms.CharField(label=_("违法行为"), widget=forms.Textarea)
    basis = forms.CharField(label=_("依据"), widget=forms.Textarea, required=False)
    requirement = forms.CharField(label=_("改正要求"), widget=forms.Textarea)
    immediate = forms.BooleanField(label=_("责令立即改正（停止违法行为）"), required=False)
    correct_by = forms.DateField(label=_("改正期限"), widget=DATE)
    served_at = moment_field(_("送达时间"))
    daily_amount = money_field(_("按日连续处罚计罚数额（元/日，选填）"))

    def __init__(
        self,
        *args: Any,
        enterprises: QuerySet[Enterprise],
        now: dt.datetime,
        case: EnforcementCase | None = None,
        inspection: Inspection | None = None,
        enterprise: Enterprise | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises
        self.fields["served_at"].initial = timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")
        if case is not None:
            enterprise = enterprise or case.enterprise
            self.fields["violation"].initial = case.violation_facts
            self.fields["basis"].initial = case.violated_provisions
            # 部令28号 第十九条: the original fine is the daily amount.
            self.fields["daily_amount"].initial = case.fine_amount or case.proposed_fine
        if inspection is not None:
            enterprise = enterprise or inspection.enterprise
            if not self.fields["violation"].initial:
                self.fields["violation"].initial = inspection.findings
        if enterprise is not None:
            field.initial = enterprise.pk

    def clean_served_at(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["served_at"]
        if moment > self.now:
            raise forms.ValidationError(_("送达时间不能晚于现在。"))
        return moment
