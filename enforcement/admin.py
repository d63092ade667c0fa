from __future__ import annotations

from django.contrib import admin

from enforcement.models import SupervisionItem
from workflow.admin import CaseAdmin


@admin.register(SupervisionItem)
class SupervisionItemAdmin(CaseAdmin):
    list_display = ("case_no", "title", "state", "source", "responsible_unit", "due_at")
    list_filter = ("state", "source", "jurisdiction")
