"""Repeat complaints (重复投诉, reference/domain.md §1.6): suggesting the open complaint a new one
repeats, and merging it there.

A complaint is suggested as the original of another when both are about the same problem
category, the original is open and was received within `ECOLOOP_DUPLICATE_WINDOW_DAYS`, and
either they name the same reported unit (the same unified social credit code, or the same name
once folded) or both carry coordinates within `ECOLOOP_DUPLICATE_RADIUS_METRES` of each other.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from enforcement.models import Complaint, ComplaintState
from workflow.models.case import CaseState

EARTH_RADIUS_METRES = 6_371_000
#: Legal-form words that do not tell two units apart (某某有限公司 = 某某公司).
_LEGAL_FORMS = ("有限责任公司", "股份有限公司", "有限公司", "公司", "厂")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

#: States in which a complaint is no original for a new one: ended or itself a repeat.
NOT_AN_ORIGINAL = (
    ComplaintState.NOT_ACCEPTED,
    ComplaintState.REDIRECTED,
    ComplaintState.MERGED,
    CaseState.CLOSED,
)


def target_key(name: str) -> str:
    """A reported unit's name folded for matching: full-width to half-width, lower case,
    spaces and punctuation removed, a trailing legal form dropped."""
    key = _NOT_WORD.sub("", unicodedata.normalize("NFKC", name or "").lower())
    for suffix in _LEGAL_FORMS:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key


def distance_metres(lat1: Decimal, lng1: Decimal, lat2: Decimal, lng2: Decimal) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))


def _near_box(complaint: Complaint, radius: float) -> Q:
    """A latitude/longitude box around the complaint that holds the radius (an index-friendly
    prefilter; the exact distance is checked in Python)."""
    assert complaint.latitude is not None and complaint.longitude is not None
    dlat = Decimal(str(radius / 111_320))
    cos = max(math.cos(math.radians(float(complaint.latitude))), 0.01)
    dlng = Decimal(str(radius / (111_320 * cos)))
    return Q(
        latitude__gte=complaint.latitude - dlat,
        latitude__lte=complaint.latitude + dlat,
        longitude__gte=complaint.longitude - dlng,
        longitude__lte=complaint.longitude + dlng,
    )


def suggest_originals(
    complaint: Complaint, *, within: QuerySet[Any] | None = None
) -> list[Complaint]:
    """Open complaints this one probably repeats, most recent first (at most 20)."""
    window = dt.timedelta(days=int(settings.ECOLOOP_DUPLICATE_WINDOW_DAYS))
    radius = float(settings.ECOLOOP_DUPLICATE_RADIUS_METRES)
    base = (within if within is not None else Complaint.objects.all()).filter(
        category=complaint.category,
        received_at__gte=complaint.received_at - window,
        received_at__lte=complaint.received_at + window,
    )
    base = base.exclude(pk=complaint.pk).exclude(state__in=NOT_AN_ORIGINAL)
    same_unit = Q(pk__in=[])
    if complaint.target_uscc:
        same_unit |= Q(target_uscc=complaint.target_uscc)
    if complaint.target_key:
        same_unit |= Q(target_key=complaint.target_key)
    found: dict[int, Complaint] = {c.pk: c for c in base.filter(same_unit)[:20]}
    if complaint.latitude is not None and complaint.longitude is not None:
        for other in base.filter(_near_box(complaint, radius))[:50]:
            assert other.latitude is not None and other.longitude is not None
            metres = distance_metres(
                complaint.latitude, complaint.longitude, other.latitude, other.longitude
            )
            if metres <= radius:
                found.setdefault(other.pk, other)
    return sorted(found.values(), key=lambda c: c.received_at, reverse=True)[:20]


def suggestions_for(complaint: Complaint, user: Any) -> list[Complaint]:
    """The suggested originals this user may see (the triage page lists them)."""
    return suggest_originals(complaint, within=Complaint.objects.visible_to(user))


def root_of(complaint: Complaint) -> Complaint:
    """The original a chain of merges ends at."""
    seen = {complaint.pk}
    while complaint.merged_into_id is not None and complaint.merged_into_id not in seen:
        seen.add(complaint.merged_into_id)
        complaint = Complaint.objects.get(pk=complaint.merged_into_id)
    return complaint
