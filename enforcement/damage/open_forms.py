"""The form that opens a damage-compensation clue (线索), standalone or from an enforcement case
or a complaint (一案双查), and the screening batch's bulk form.

The forms only collect and check what a person typed; `enforcement.damage.services` decides and
writes. From an origin case the channel and the parties are the origin's (the service fills
them); standalone the person picks the channel and names up to `MAX_PARTIES` obligors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.models import ClueChannel, Complaint, EnforcementCase, NotStartedReason
from enforcement.penalties.forms import moment_field
from enforcement.validators import normalise_uscc, validate_uscc

#: How many obligors a standalone clue names on its form (more are added later, if ever).
MAX_PARTIES = 3

BATCH_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


class DamageClueForm(forms.Form):
    title = forms.CharField(label=_("线索名称"), max_length=200)
    channel = forms.ChoiceField(label=_("线索来源"), choices=ClueChannel.choices)
    description = forms.CharField(label=_("线索情况"), widget=forms.Textarea, required=False)
    location = forms.CharField(label=_("损害发生地点"), max_length=200, required=False)
    # Not `media`: that is the form's own assets.
    elements = forms.CharField(
        label=_("受损环境要素"),
        max_length=200,
        required=False,
        help_text=_("如土壤、地表水、地下水、大气、森林、草原、湿地。"),
    )
    clue_received_at = moment_field(_("发现/收到线索时间"))
    red_line_area = forms.BooleanField(label=_("位于生态保护红线内"), required=False)
    repeat_within_two_years = forms.BooleanField(label=_("两年内再次发生同类违法"), required=False)
    major_case = forms.BooleanField(label=_("重大案件"), required=False)

    def __init__(
        self,
        *args: Any,
        now: dt.datetime,
        enforcement: EnforcementCase | None = None,
        complaint: Complaint | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.origin = enforcement or complaint
        self.fields["clue_received_at"].initial = timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")
        if self.origin is not None:
            # The channel and the parties are the origin's: the service takes them from it.
            del self.fields["channel"]
            if enforcement is not None:
                self.fields["title"].initial = _("%(title)s（生态环境损害赔偿线索）") % {
                    "title": enforcement.title
                }
                self.fields["description"].initial = (
                    enforcement.violation_facts or enforcement.description
                )
                self.fields["location"].initial = enforcement.party_address
            if complaint is not None:
                self.fields["title"].initial = _("%(title)s（生态环境损害赔偿线索）") % {
                    "title": complaint.title
                }
                self.fields["description"].initial = complaint.description
                self.fields["location"].initial = complaint.location
            return
        for n in range(1, MAX_PARTIES + 1):
            self.fields[f"party_name_{n}"] = forms.CharField(
                label=_("赔偿义务人%(n)d 名称") % {"n": n},
                max_length=200,
                required=False,
            )
            self.fields[f"party_uscc_{n}"] = forms.CharField(
                label=_("赔偿义务人%(n)d 统一社会信用代码（选填）") % {"n": n},
                max_length=30,
                required=False,
            )

    def clean_clue_received_at(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["clue_received_at"]
        if moment > self.now:
            raise forms.ValidationError(_("发现/收到线索时间不能晚于现在。"))
        return moment

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.origin is not None:
            return cleaned
        parties: list[tuple[str, str]] = []
        for n in range(1, MAX_PARTIES + 1):
            name = (cleaned.get(f"party_name_{n}") or "").strip()
            uscc = normalise_uscc(cleaned.get(f"party_uscc_{n}") or "")
            if uscc and not name:
                self.add_error(f"party_name_{n}", _("填写了统一社会信用代码，请同时填写名称。"))
                continue
            if uscc:
                try:
                    validate_uscc(uscc)
                except ValidationError as exc:
                    self.add_error(f"party_uscc_{n}", exc)
                    continue
            if name:
                parties.append((name, uscc))
        cleaned["parties"] = parties
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """What the service takes (the overrides of an origin case's defaults)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "description",
                "location",
                "red_line_area",
                "repeat_within_two_years",
                "major_case",
                "clue_received_at",
            )
        }
        fields["media"] = data["elements"]
        fields["title"] = fields["title"].strip()
        if self.origin is None:
            fields["channel"] = data["channel"]
            fields["parties"] = data["parties"]
        return fields


class ScreeningForm(forms.Form):
    """Screen the chosen clues of a batch in (→ 初步核查) or out, with a reason."""

    IN, OUT = "in", "out"

    clues = forms.TypedMultipleChoiceField(
        label=_("选择线索"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        label=_("筛查结果"),
        choices=[(IN, _("纳入初步核查")), (OUT, _("排除"))],
        widget=forms.RadioSelect,
    )
    not_started_reason = forms.ChoiceField(
        label=_("排除理由"),
        choices=[("", "—"), *NotStartedReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("排除时必填。"),
    )

    def __init__(self, *args: Any, clues: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clues"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c.pk, f"{c.case_no} {c.title}") for c in clues]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.OUT:
            if not cleaned.get("not_started_reason"):
                self.add_error("not_started_reason", _("排除线索请选择理由。"))
            if not (cleaned.get("note") or "").strip():
                self.add_error("note", _("排除线索请写明说明。"))
        return cleaned
