"""Scheduling and recording inspections, and what a recorded inspection settles elsewhere.

An inspection logged on the spot is opened and recorded in one transaction; a scheduled one (a
random draw's task) is opened first and recorded later. An inspection that checks another case
(a complaint, a 督察 item) completes that case's 核查 when the recording person is its verifier
and gives a conclusion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from enforcement.models import Enterprise, Inspection, InspectionType, Place
from enforcement.penalties import numbers
from workflow.evidence import PreparedFile
from workflow.models import Case
from workflow.models.case import CaseState
from workflow.models.unit import unit_of
from workflow.transitions import InvalidTransition, open_case, prepare_files, transition_case


def schedule_inspection(
    *,
    actor: Any,
    enterprise: Enterprise | None = None,
    place: Place | None = None,
    inspection_type: str,
    inspectors: Iterable[Any] = (),
    inspect_by: dt.date | None = None,
    subject_case: Case | None = None,
    plan: Any = None,
    order: Any = None,
    responsible_unit: Any = None,
    title: str = "",
    now: dt.datetime,
) -> Inspection:
    """Open an inspection task (待检查) of an enterprise or a place, for its bureau."""
    target = enterprise or place
    if target is None:
        raise InvalidTransition(_("请选择被检查单位或点位。"))
    unit = responsible_unit or unit_of(actor)
    if unit is None:
        raise InvalidTransition(_("您没有所属单位，不能安排检查。"))
    with transaction.atomic():
        inspection = open_case(
            Inspection,
            actor=actor,
            jurisdiction=target.jurisdiction.region(),
            title=title
            or _("%(type)s：%(name)s")
            % {"type": InspectionType(inspection_type).label, "name": target.name},
            now=now,
            responsible_unit=unit,
            enterprise=enterprise,
            place=None if enterprise else place,
            inspection_type=inspection_type,
            inspect_by=inspect_by,
            subject_case=subject_case,
            plan=plan,
            order=order,
            location=target.address,
        )
        assert isinstance(inspection, Inspection)
        inspection.inspectors.set(list(inspectors))
    return inspection


#: What an inspection concludes about the case it checks.
VERIFICATION_TRANSITIONS = {"pass": "pass_verification", "fail": "fail_verification"}


def log_inspection(
    *,
    actor: Any,
    enterprise: Enterprise,
    inspection_type: str,
    record: Mapping[str, Any],
    files: Iterable[UploadedFile] = (),
    subject_case: Case | None = None,
    conclusion: str = "",
    conclusion_payload: Mapping[str, Any] | None = None,
    now: dt.datetime,
) -> Inspection:
    """Open and record an inspection at once (an inspector on site), all or nothing.

    `record` is the record form's payload. With a `subject_case` in 核查 and a `conclusion`
    ("pass" or "fail", with the return form's payload for "fail"), the same transaction passes
    or returns the subject case's verification, citing the record.
    """
    prepared = prepare_files(files)  # before the transaction: no lock while images re-encode
    with transaction.atomic():
        inspection = schedule_inspection(
            actor=actor,
            enterprise=enterprise,
            inspection_type=inspection_type,
            subject_case=subject_case,
            now=now,
        )
        record_inspection(inspection, actor=actor, record=record, files=prepared, now=now)
        if subject_case is not None and conclusion:
            complete_verification(
                inspection,
                subject_case,
                actor=actor,
                conclusion=conclusion,
                payload=conclusion_payload or {},
                now=now,
            )
    return inspection


def record_inspection(
    inspection: Inspection,
    *,
    actor: Any,
    record: Mapping[str, Any],
    files: Iterable[UploadedFile | PreparedFile] = (),
    now: dt.datetime,
) -> None:
    name = "record_random" if inspection.plan_id else "record"
    transition_case(
        inspection,
        name,
        actor=actor,
        payload=record,
        files=files,
        note=str(record.get("findings", ""))[:2000],
        now=now,
    )


def complete_verification(
    inspection: Inspection,
    subject: Case,
    *,
    actor: Any,
    conclusion: str,
    payload: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    if conclusion not in VERIFICATION_TRANSITIONS:
        raise InvalidTransition(_("核查结论无效。"))
    subject = subject.specific
    if subject.state == CaseState.REPORTED:
        transition_case(subject, "start_verification", actor=actor, now=now)
        subject.refresh_from_db()
    if subject.state != CaseState.VERIFYING:
        raise InvalidTransition(_("被核查的事项当前不在核查阶段。"))
    inspection.refresh_from_db()
    note = _("现场检查笔录 %(no)s：%(findings)s") % {
        "no": inspection.record_no,
        "findings": inspection.findings,
    }
    transition_case(
        subject,
        VERIFICATION_TRANSITIONS[conclusion],
        actor=actor,
        note=note[:4000],
        payload=payload,
        now=now,
    )


def after_transition(case: Case, name: str, from_state: str, actor: Any, now: dt.datetime) -> None:
    assert isinstance(case, Inspection)
    if name in ("record", "record_random"):
        inspectors = case.__dict__.pop("recorded_inspectors", None)
        if inspectors is not None:
            case.inspectors.set(inspectors)
            case.__dict__.pop("_investigator_ids", None)
        case.record_no = numbers.document_number(case.jurisdiction, numbers.INSPECTION_RECORD, now)
        case.save(update_fields=["record_no"])
