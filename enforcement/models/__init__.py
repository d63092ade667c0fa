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
from enforcement.models.supervision import SupervisionItem, SupervisionSource

__all__ = [
    "Complaint",
    "ComplaintCategory",
    "ComplaintState",
    "IdentityReveal",
    "IntakeChannel",
    "NotAcceptedReason",
    "Rating",
    "ReplyOutcome",
    "ReporterIdentity",
    "SupervisionItem",
    "SupervisionSource",
    "Track",
]
