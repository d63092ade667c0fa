"""The bureau's case types and their records."""

from enforcement.models.assessment import EmergencyResponse, RankingSnapshot, SnapshotKind
from enforcement.models.campaign import Campaign, CampaignKind, CampaignOrder
from enforcement.models.complaint import (
    Complaint,
    ComplaintCategory,
    ComplaintState,
    IntakeChannel,
    NotAcceptedReason,
    Rating,
    ReplyOutcome,
    Track,
)
from enforcement.models.complaint_identity import IdentityReveal, ReporterIdentity
from enforcement.models.damage import ConsultationMeeting, DamageCase, DamageParty, PartyRole
from enforcement.models.damage_record import (
    AssessmentMode,
    ClueChannel,
    ConsultationFailure,
    DamageState,
    EvaluationExemption,
    NotStartedReason,
    RemediationMode,
)
from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.models.forwarded_complaint import (
    ForwardedComplaint,
    ForwardedState,
    HandlingStatus,
    Pollution,
    Truth,
)
from enforcement.models.inspection import (
    Inspection,
    InspectionState,
    InspectionType,
    InspectorCredential,
    PlanState,
    RandomInspectionPlan,
)
from enforcement.models.inspection_round import (
    DispatchReport,
    ForwardedBatch,
    ForwardedPublication,
    InspectionRound,
    RoundLevel,
)
from enforcement.models.patrol import Patrol, PatrolFinding, Shift
from enforcement.models.penalty import EnforcementCase
from enforcement.models.penalty_correction import CorrectionOrder, CorrectionState
from enforcement.models.penalty_record import (
    ClueSource,
    EnforcementState,
    PenaltyKind,
    PoliceReferralKind,
    SuspensionReason,
    TerminationReason,
)
from enforcement.models.place import Place, PlaceKind
from enforcement.models.rapid import RapidItem
from enforcement.models.rectification import (
    AcceptanceTier,
    Horizon,
    ProblemOrigin,
    PublicityObjection,
    RectificationProblem,
    RectificationState,
    RectificationTask,
    ReportSchedule,
)
from enforcement.models.rhythm import (
    AccountabilitySuggestion,
    DailyAnalysis,
    MonthlyBulletin,
    SuggestionStatus,
    WeeklyAgenda,
)
from enforcement.models.supervision import SupervisionItem, SupervisionSource

__all__ = [
    "AcceptanceTier",
    "AccountabilitySuggestion",
    "AssessmentMode",
    "Campaign",
    "CampaignKind",
    "CampaignOrder",
    "ClueChannel",
    "ClueSource",
    "Complaint",
    "ComplaintCategory",
    "ComplaintState",
    "ConsultationFailure",
    "ConsultationMeeting",
    "CorrectionOrder",
    "CorrectionState",
    "DailyAnalysis",
    "DamageCase",
    "DamageParty",
    "DamageState",
    "DispatchReport",
    "EmergencyResponse",
    "EnforcementCase",
    "EnforcementState",
    "Enterprise",
    "EvaluationExemption",
    "ForwardedBatch",
    "ForwardedComplaint",
    "ForwardedPublication",
    "ForwardedState",
    "HandlingStatus",
    "Horizon",
    "IdentityReveal",
    "Inspection",
    "InspectionRound",
    "InspectionState",
    "InspectionType",
    "InspectorCredential",
    "IntakeChannel",
    "MonthlyBulletin",
    "NotAcceptedReason",
    "NotStartedReason",
    "PartyRole",
    "Patrol",
    "PatrolFinding",
    "PenaltyKind",
    "Place",
    "PlaceKind",
    "PlanState",
    "PoliceReferralKind",
    "Pollution",
    "ProblemOrigin",
    "PublicityObjection",
    "RandomInspectionPlan",
    "RankingSnapshot",
    "RapidItem",
    "Rating",
    "RectificationProblem",
    "RectificationState",
    "RectificationTask",
    "RemediationMode",
    "ReplyOutcome",
    "ReportSchedule",
    "ReporterIdentity",
    "RoundLevel",
    "Shift",
    "SnapshotKind",
    "SuggestionStatus",
    "SupervisionItem",
    "SupervisionSource",
    "SupervisionTier",
    "SuspensionReason",
    "TerminationReason",
    "Track",
    "Truth",
    "WeeklyAgenda",
]
