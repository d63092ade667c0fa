from __future__ import annotations

from django.contrib import admin

from enforcement.models import SupervisionItem
from workflow.admin import CaseAdmin


@admin.register(SupervisionItem)
class SupervisionItemAdmin(CaseAdmin):
    list_display = (*CaseAdmin.list_display, "source")
    list_filter = (*CaseAdmin.list_filter, "source")
