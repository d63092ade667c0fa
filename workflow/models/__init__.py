from workflow.models.case import Case, CaseLink, CaseSequence, CaseState, Clock, LinkKind
from workflow.models.deadline import CalendarOverride, CalendarYear, Deadline, DeadlineStatus
from workflow.models.event import Attachment, CaseEvent
from workflow.models.notification import Notification
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
    "Clock",
    "Deadline",
    "DeadlineStatus",
    "LinkKind",
    "Notification",
    "Staff",
    "Unit",
    "UnitKind",
]
