from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from workflow.case_types import LOOP_ACTORS, LOOP_DEADLINES, CaseType, DeadlinePolicy, registry
from workflow.models.case import CaseState, Clock, DeadlineClock
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


def inspection_type() -> CaseType:
    from enforcement.inspections import panel, services
    from enforcement.models import Inspection, InspectionState

    return CaseType(
        kind="inspection",
        label=_("现场检查"),
        model=Inspection,
        number_prefix="检",
        deadlines=(
            DeadlinePolicy(
                InspectionState.SCHEDULED,
                "inspect",
                _("检查期限"),
                from_field="inspect_by",
                optional=True,
                basis=_("检查任务安排的完成日期"),
            ),
            DeadlinePolicy(
                InspectionState.RECORDED,
                "publish",
                _("结果公开期限"),
                length=int(settings.ECOLOOP_RANDOM_PUBLISH_WORKDAYS),
                basis=_("双随机抽查结果自产生之日起20个工作日内公开（国发〔2019〕5号）"),
            ),
        ),
        actors={
            InspectionState.SCHEDULED: Role.INSPECTOR,
            InspectionState.RECORDED: Role.DISPATCHER,
        },
        initial_state=InspectionState.SCHEDULED,
        runs_loop=False,
        openers=frozenset({Role.DISPATCHER, Role.INSPECTOR, Role.VERIFIER, Role.LEADER}),
        terminal_states=frozenset({InspectionState.COMPLETED, InspectionState.CANCELLED}),
        state_labels={s.value: s.label for s in InspectionState},
        after_transition=services.after_transition,
        detail_template="inspections/_panel.html",
        detail_context=panel.inspection_context,
    )


def enforcement_type() -> CaseType:
    from enforcement.models import EnforcementCase, EnforcementState
    from enforcement.penalties import panel, services

    state = EnforcementState
    labels = {s.value: s.label for s in EnforcementState}
    labels[CaseState.CLOSED] = _("已结案")
    return CaseType(
        kind="enforcement",
        label=_("行政处罚案件"),
        model=EnforcementCase,
        number_prefix="执",
        deadlines=(
            DeadlinePolicy(
                state.POLICE_REVIEW,
                "police_decision",
                _("移送审批期限"),
                clock=Clock.DAYS,
                length=3,
                basis=_(
                    "《行政执法机关移送涉嫌犯罪案件的规定》第五条：正职负责人3日内决定是否移送"
                ),
            ),
            DeadlinePolicy(
                state.NOTICE_SERVED,
                "defence",
                _("陈述申辩期限"),
                from_field="defence_due",
                counted=Clock.WORKDAYS,
                is_main=False,
                basis=_("事先告知书送达之日起3个工作日内（《行政处罚法》第八十五条）"),
            ),
            DeadlinePolicy(
                state.NOTICE_SERVED,
                "hearing_request",
                _("听证申请期限"),
                from_field="hearing_request_due",
                counted=Clock.WORKDAYS,
                optional=True,
                is_main=False,
                basis=_("《行政处罚法》第六十四条：告知后5个工作日内提出听证要求"),
            ),
            DeadlinePolicy(
                state.DECIDED,
                "serve",
                _("送达期限"),
                length=7,
                basis=_("《行政处罚法》第六十一条：当事人不在场的，7个工作日内送达"),
            ),
        ),
        actors={
            state.CLUE: Role.INSPECTOR,
            state.FILING_REVIEW: Role.SUPERVISOR,
            state.INVESTIGATING: Role.INSPECTOR,
            state.SUSPENDED: Role.SUPERVISOR,
            state.POLICE_REVIEW: Role.SUPERVISOR,
            state.POLICE_TRANSFER: Role.INSPECTOR,
            state.CASE_REVIEW: Role.LEGAL_REVIEWER,
            state.NOTICE_SERVED: Role.INSPECTOR,
            state.HEARING_REQUESTED: Role.SUPERVISOR,
            state.HEARING_SCHEDULED: Role.SUPERVISOR,
            state.DECISION_PENDING: Role.SUPERVISOR,
            state.DECIDED: Role.INSPECTOR,
            state.EXECUTING: Role.INSPECTOR,
            state.COURT: Role.INSPECTOR,
            state.PERFORMED: Role.SUPERVISOR,
        },
        initial_state=state.CLUE,
        runs_loop=False,
        terminal_states=frozenset({CaseState.CLOSED, state.NOT_FILED, state.TERMINATED}),
        state_labels=labels,
        after_transition=services.after_transition,
        detail_template="penalties/_panel.html",
        detail_context=panel.enforcement_context,
    )


def correction_type() -> CaseType:
    from enforcement.models import CorrectionOrder, CorrectionState
    from enforcement.penalties import panel, services

    return CaseType(
        kind="correction",
        label=_("责令改正"),
        model=CorrectionOrder,
        number_prefix="责改",
        deadlines=(
            DeadlinePolicy(
                CorrectionState.ORDERED,
                "recheck",
                _("复查期限"),
                from_field="recheck_due",
                basis=_(
                    "《环境保护主管部门实施按日连续处罚办法》：送达责令改正决定书之日起30日内复查"
                ),
            ),
            DeadlinePolicy(
                CorrectionState.ORDERED,
                "correct",
                _("改正期限"),
                from_field="correct_by",
                is_main=False,
                basis=_("责令改正违法行为决定书确定的改正期限"),
            ),
        ),
        actors={CorrectionState.ORDERED: Role.INSPECTOR},
        initial_state=CorrectionState.ORDERED,
        runs_loop=False,
        terminal_states=frozenset({CorrectionState.CORRECTED, CorrectionState.CONTINUING}),
        state_labels={s.value: s.label for s in CorrectionState},
        after_transition=services.correction_after_transition,
        detail_template="penalties/_correction_panel.html",
        detail_context=panel.correction_context,
    )


def damage_type() -> CaseType:
    from enforcement.damage import panel, services
    from enforcement.models import DamageCase, DamageState

    state = DamageState
    labels = {s.value: s.label for s in DamageState}
    labels[CaseState.CLOSED] = _("已结案")
    return CaseType(
        kind="damage",
        label=_("生态环境损害赔偿"),
        model=DamageCase,
        number_prefix="损",
        deadlines=(
            DeadlinePolicy(
                state.CONSULTING,
                "consultation",
                _("磋商期限"),
                from_field="consultation_due",
                basis=_("磋商原则上自送达磋商通知之日起90日内完成"),
            ),
            DeadlinePolicy(
                state.JUDICIAL_CONFIRMATION,
                "publicity",
                _("司法确认公告期"),
                from_field="publicity_end",
                is_main=False,
                basis=_("人民法院受理司法确认申请后公告协议内容，公告期间不少于30日"),
            ),
            DeadlinePolicy(
                state.REMEDIATING,
                "remediation",
                _("修复/赔付期限"),
                from_field="remediation_due",
                basis=_("赔偿协议或生效裁判确定的修复、赔付期限"),
            ),
        ),
        actors={
            state.CLUE: Role.INSPECTOR,
            state.PRELIM_CHECK: Role.SUPERVISOR,
            state.INVESTIGATING: Role.INSPECTOR,
            state.ASSESSING: Role.INSPECTOR,
            state.ASSESSED: Role.INSPECTOR,
            state.CONSULTING: Role.INSPECTOR,
            state.CONSULTATION_FAILED: Role.SUPERVISOR,
            state.AGREEMENT: Role.INSPECTOR,
            state.JUDICIAL_CONFIRMATION: Role.INSPECTOR,
            state.LITIGATING: Role.INSPECTOR,
            state.REMEDIATING: Role.VERIFIER,
            state.EFFECT_EVALUATION: Role.SUPERVISOR,
        },
        initial_state=state.CLUE,
        runs_loop=False,
        openers=frozenset({Role.DISPATCHER, Role.INSPECTOR, Role.LEGAL_REVIEWER, Role.LEADER}),
        terminal_states=frozenset(
            {CaseState.CLOSED, state.EXCLUDED, state.NOT_STARTED, state.TERMINATED}
        ),
        state_labels=labels,
        after_transition=services.after_transition,
        detail_template="damage/_panel.html",
        detail_context=panel.damage_context,
    )


def forwarded_type() -> CaseType:
    from enforcement.models import ForwardedComplaint, ForwardedState

    reply = _("督察组转办时确定的反馈期限（边督边改，当日交办、限时反馈）")
    deadlines = (
        *(
            DeadlinePolicy(state, "reply", _("反馈期限"), from_field="reply_due_at", basis=reply)
            for state in (CaseState.PENDING_ASSIGNMENT, CaseState.ASSIGNED, CaseState.RECTIFYING)
        ),
        DeadlinePolicy(
            CaseState.REPORTED,
            "review_start",
            _("审核期限"),
            length=1,
            basis=_("督察整改办收到反馈后1个工作日内审核"),
        ),
        DeadlinePolicy(
            CaseState.VERIFYING, "review", _("审核期限"), length=1, basis=_("1个工作日内完成审核")
        ),
        DeadlinePolicy(
            CaseState.PENDING_CLOSURE,
            "sign_off",
            _("审签期限"),
            length=1,
            basis=_("1个工作日内审签，当日公开"),
        ),
        DeadlinePolicy(
            ForwardedState.PHASED,
            "phase",
            _("阶段性办结整改期限"),
            from_field="phase_due",
            basis=_("阶段性办结件按反馈的整改期限完成整改，办结后再次公开"),
        ),
    )
    labels = {s.value: s.label for s in CaseState}
    labels.update({s.value: s.label for s in ForwardedState})
    labels[CaseState.PENDING_ASSIGNMENT] = _("已接收·待交办")
    labels[CaseState.RECTIFYING] = _("调查处理中")
    labels[CaseState.REPORTED] = _("已反馈·待审核")
    labels[CaseState.VERIFYING] = _("审核中")
    labels[CaseState.PENDING_CLOSURE] = _("待审签")
    labels[CaseState.CLOSED] = _("已办结")
    return CaseType(
        kind="forwarded",
        label=_("边督边改交办件"),
        model=ForwardedComplaint,
        number_prefix="督察",
        deadlines=deadlines,
        actors={**LOOP_ACTORS, ForwardedState.PHASED: Role.HANDLER},
        openers=frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER}),
        state_labels=labels,
    )


def rectification_type() -> CaseType:
    from enforcement.models import RectificationState, RectificationTask

    state = RectificationState
    deadlines = (
        # No 信访 objection window: a 督察 task's unit raises a wrong assignment with the office.
        *(p for p in LOOP_DEADLINES if p.kind not in ("rectify", "objection")),
        DeadlinePolicy(
            CaseState.RECTIFYING,
            "rectify",
            _("整改完成时限"),
            from_field="rectify_due",
            optional=True,
            basis=_("整改方案确定的完成时限（《中央生态环境保护督察整改工作办法》）"),
        ),
        DeadlinePolicy(
            CaseState.RECTIFYING,
            "progress_report",
            _("整改进展报告期限"),
            from_field="next_report_due",
            optional=True,
            basis=_("长期坚持的整改任务按期报告整改进展，以报告评价，不设完成时限"),
        ),
        DeadlinePolicy(
            state.ACCEPTING,
            "acceptance",
            _("验收期限"),
            length=int(settings.ECOLOOP_ACCEPTANCE_WORKDAYS),
            basis=_("申请验收后按本地验收销号办法组织验收（谁验收、谁负责）"),
        ),
        DeadlinePolicy(
            state.PUBLICIZING,
            "publicity",
            _("公示期"),
            clock=Clock.DAYS,
            length=int(settings.ECOLOOP_PUBLICITY_DAYS),
            is_main=False,
            window=True,
            basis=_("整改完成情况向社会公示，公示期内接受书面异议"),
        ),
        DeadlinePolicy(
            state.PUBLICITY_OBJECTED,
            "objection_review",
            _("异议核实期限"),
            length=5,
            basis=_("收到公示异议后5个工作日内核实并答复"),
        ),
    )
    labels = {s.value: s.label for s in CaseState}
    labels.update({s.value: s.label for s in RectificationState})
    labels[CaseState.CLOSED] = _("已销号")
    return CaseType(
        kind="rectification",
        label=_("反馈问题整改任务"),
        model=RectificationTask,
        number_prefix="整改",
        deadlines=deadlines,
        actors={
            **LOOP_ACTORS,
            state.ACCEPTING: Role.VERIFIER,
            state.PUBLICIZING: Role.LEADER,
            state.PUBLICITY_OBJECTED: Role.DISPATCHER,
            state.UPPER_REVIEW: Role.LEADER,
        },
        openers=frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER}),
        state_labels=labels,
    )


def rapid_type() -> CaseType:
    from enforcement.models import RapidItem

    hours = DeadlineClock.HOURS
    kept = {"reroute", "verify_start", "verify", "closure"}
    deadlines = (
        DeadlinePolicy(
            CaseState.PENDING_ASSIGNMENT,
            "dispatch",
            _("交办时限"),
            from_field="dispatch_by",
            counted=hours,
            optional=True,
            basis=_("即知即改：发现问题后立即交办（本局设定的小时数）"),
        ),
        DeadlinePolicy(
            CaseState.ASSIGNED,
            "respond",
            _("响应时限"),
            from_field="respond_by",
            counted=hours,
            basis=_("第一时间响应：交办后在响应时限内签收（专项行动或本局设定的小时数）"),
        ),
        DeadlinePolicy(
            CaseState.RECTIFYING,
            "dispose",
            _("处置时限"),
            from_field="dispose_by",
            counted=hours,
            basis=_("第一时间处置：交办后在处置时限内处置完毕并反馈"),
        ),
        *(p for p in LOOP_DEADLINES if p.kind in kept),
    )
    labels = {s.value: s.label for s in CaseState}
    labels[CaseState.RECTIFYING] = _("处置中")
    return CaseType(
        kind="rapid",
        label=_("即知即改事项"),
        model=RapidItem,
        number_prefix="即改",
        deadlines=deadlines,
        state_labels=labels,
    )


def register_all() -> None:
    from enforcement.complaints import rules  # noqa: F401  (registers the complaint rules)
    from enforcement.damage import rules as damage_rules  # noqa: F401  (registers rules)
    from enforcement.inspection_rounds import rules as round_rules  # noqa: F401  (registers rules)
    from enforcement.models import SupervisionItem
    from enforcement.penalties import rules as penalty_rules  # noqa: F401  (registers rules)

    registry.register(
        CaseType(
            kind="supervision",
            label=_("督办事项"),
            model=SupervisionItem,
            number_prefix="督",
            splits=True,
        )
    )
    registry.register(complaint_type())
    registry.register(inspection_type())
    registry.register(enforcement_type())
    registry.register(correction_type())
    registry.register(damage_type())
    registry.register(forwarded_type())
    registry.register(rectification_type())
    registry.register(rapid_type())

    from enforcement.campaigns.programme import CAMPAIGN
    from enforcement.inspection_rounds.programme import ROUND
    from workflow.programmes import programmes

    programmes.register(ROUND)
    programmes.register(CAMPAIGN)
