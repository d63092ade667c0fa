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
from enforcement.models.supervision import SupervisionItem, SupervisionSource

__all__ = [
    "Complaint",
    "ComplaintCategory",
    "ComplaintState",
    "Enterprise",
    "IdentityReveal",
    "IntakeChannel",
    "NotAcceptedReason",
    "Rating",
    "ReplyOutcome",
    "ReporterIdentity",
    "SupervisionItem",
    "SupervisionSource",
    "SupervisionTier",
    "Track",
]
