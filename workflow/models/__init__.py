from workflow.models.case import Case, CaseLink, CaseSequence, CaseState, Clock, LinkKind
from workflow.models.deadline import CalendarOverride, CalendarYear, Deadline, DeadlineStatus
from workflow.models.escalation import Escalation, EscalationStatus, Rung
from workflow.models.event import Attachment, CaseEvent
from workflow.models.notice import (
    Notice,
    NoticeKind,
    NoticeSequence,
    YuetanRecord,
    YuetanSubject,
)
from workflow.models.notification import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
from workflow.models.unit import Staff, Unit, UnitKind

__all__ = [
    "Attachment",
    "CalendarOverride",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseLink",
    "CaseSequence",
    "CaseState",
    "Channel",
    "Clock",
    "Deadline",
    "DeadlineStatus",
    "DeliveryStatus",
    "Escalation",
    "EscalationStatus",
    "LinkKind",
    "Notice",
    "NoticeKind",
    "NoticeSequence",
    "Notification",
    "NotificationPreference",
    "Rung",
    "Staff",
    "Unit",
    "UnitKind",
    "YuetanRecord",
    "YuetanSubject",
]
