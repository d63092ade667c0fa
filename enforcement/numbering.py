"""文号 of a bureau's documents: one gap-free series per kind and year (小店环调令〔2026〕3号)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from workflow.models import Unit
from workflow.record_language import in_record_language


def next_number(model: Any, region: Unit, year: int, series: str) -> tuple[int, str]:
    """The next sequence and 文号 of `model`'s series (rows with `region`, `year`, `sequence`).

    Call inside the transaction that creates the row: the bureau's row is locked as the counter,
    so concurrent issuers wait for each other and the numbers stay gap-free (a rolled-back
    document gives its number back). `series` is the document's word in the number (环调令).
    """
    Unit.objects.select_for_update().filter(pk=region.pk).values_list("pk").get()
    last = model.objects.filter(region=region, year=year).aggregate(last=Max("sequence"))["last"]
    sequence = (last or 0) + 1
    prefix = region.case_prefix or region.short_name or region.name
    with in_record_language():
        number = _("%(prefix)s%(series)s〔%(year)d〕%(n)d号") % {
            "prefix": prefix,
            "series": series,
            "year": year,
            "n": sequence,
        }
    return sequence, number
