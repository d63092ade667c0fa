from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflow.case_types import CaseType, registry


def register_all() -> None:
    from enforcement.models import SupervisionItem

    registry.register(
        CaseType(kind="supervision", label=_("督办事项"), model=SupervisionItem, number_prefix="督")
    )
