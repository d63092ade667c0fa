"""The bureau's case types and their records."""

from enforcement.models.complaint import (
    Complaint,
    ComplaintCategory,
    ComplaintState,
    IdentityReveal,
    IntakeChannel,
    NotAcceptedReason,
    Rating,
    ReplyOutcome,
    ReporterIdentity,
    Track,
)
from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.models.inspection import (
    Inspection,
    InspectionState,
    InspectionType,
    InspectorCredential,
    PlanState,
    RandomInspectionPlan,
)
from enforcement.models.penalty import (
    ClueSource,
    CorrectionOrder,
    CorrectionState,
    EnforcementCase,
    EnforcementState,
    PenaltyKind,
    PoliceReferralKind,
    SuspensionReason,
    TerminationReason,
)
from enforcement.models.supervision import SupervisionItem, SupervisionSource

__all__ = [
    "ClueSource",
    "Complaint",
    "ComplaintCategory",
    "ComplaintState",
    "CorrectionOrder",
    "CorrectionState",
    "EnforcementCase",
    "EnforcementState",
    "Enterprise",
    "IdentityReveal",
    "Inspection",
    "InspectionState",
    "InspectionType",
    "InspectorCredential",
    "IntakeChannel",
    "NotAcceptedReason",
    "PenaltyKind",
    "PlanState",
    "PoliceReferralKind",
    "RandomInspectionPlan",
    "Rating",
    "ReplyOutcome",
    "ReporterIdentity",
    "SupervisionItem",
    "SupervisionSource",
    "SupervisionTier",
    "SuspensionReason",
    "TerminationReason",
    "Track",
]
