from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from workflow.case_types import LOOP_ACTORS, LOOP_DEADLINES, CaseType, DeadlinePolicy, registry
from workflow.models.case import CaseState, Clock
from workflow.roles import Role


def complaint_type() -> CaseType:
    from enforcement.complaints import panel, services
    from enforcement.models import Complaint, ComplaintState

    deadlines = (
        DeadlinePolicy(
            ComplaintState.REGISTERED,
            "accept_notice",
            _("受理告知期限"),
            clock=Clock.DAYS,
            length=int(settings.ECOLOOP_ACCEPTANCE_NOTICE_DAYS),
            basis=_("《信访工作条例》第二十三条：收到之日起15日内告知是否受理"),
        ),
        *LOOP_DEADLINES,
        DeadlinePolicy(
            ComplaintState.REPLIED,
            "rating",
            _("评价期限"),
            clock=Clock.DAYS,
            length=int(settings.ECOLOOP_RATING_WINDOW_DAYS),
            basis=_("答复后由反映人评价，逾期未评价的自动办结"),
            is_main=False,
        ),
        DeadlinePolicy(
            ComplaintState.DISSATISFIED,
            "redo_decision",
            _("不满意件处理期限"),
            length=5,
            basis=_("反映人不满意的，5个工作日内决定重办或维持"),
        ),
        DeadlinePolicy(
            ComplaintState.REVIEW_REQUESTED,
            "review",
            _("复查期限"),
            clock=Clock.DAYS,
            length=30,
            basis=_("《信访工作条例》第三十五条：收到复查请求之日起30日内提出复查意见"),
        ),
    )
    labels = {s.value: s.label for s in CaseState}
    labels.update({s.value: s.label for s in ComplaintState})
    labels[CaseState.CLOSED] = _("已办结")
    labels[CaseState.PENDING_CLOSURE] = _("待签发答复")
    labels[CaseState.REPORTED] = _("已反馈（拟答复）")
    return CaseType(
        kind="complaint",
        label=_("信访投诉"),
        model=Complaint,
        number_prefix="诉",
        deadlines=deadlines,
        actors={
            ComplaintState.REGISTERED: Role.INTAKE,
            **LOOP_ACTORS,
            ComplaintState.REPLIED: Role.INTAKE,
            ComplaintState.DISSATISFIED: Role.SUPERVISOR,
            ComplaintState.REVIEW_REQUESTED: Role.LEADER,
        },
        initial_state=ComplaintState.REGISTERED,
        terminal_states=frozenset(
            {
                CaseState.CLOSED,
                ComplaintState.NOT_ACCEPTED,
                ComplaintState.REDIRECTED,
                ComplaintState.MERGED,
            }
        ),
        state_labels=labels,
        after_transition=services.after_transition,
        after_event=services.after_event,
        external_contact=services.external_contact,
        sms_templates=("COMPLAINT_STATUS",),
        detail_template="complaints/staff/_panel.html",
        detail_context=panel.detail_context,
    )


def register_all() -> None:
    from enforcement.complaints import rules  # noqa: F401  (registers the complaint rules)
    from enforcement.models import SupervisionItem

    registry.register(
        CaseType(kind="supervision", label=_("督办事项"), model=SupervisionItem, number_prefix="督")
    )
    registry.register(complaint_type())
