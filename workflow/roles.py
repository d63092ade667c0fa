"""The roles of DESIGN.md §1. Each is a Django Group whose name is the role's value."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake", _("受理员")
    DISPATCHER = "dispatcher", _("调度员")
    INSPECTOR = "inspector", _("执法人员")
    HANDLER = "handler", _("承办人")
    VERIFIER = "verifier", _("核查员")
    SUPERVISOR = "supervisor", _("科室/队负责人")
    LEADER = "leader", _("局领导")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
    ADMIN = "admin", _("系统管理员")
