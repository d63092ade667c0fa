from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("执法与督办")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enforcement import case_types
        from workflow import audit_triggers

        case_types.register_all()
        # A 周排名 / 月考核 snapshot is never changed once written.
        audit_triggers.freeze("enforcement_rankingsnapshot")
        audit_triggers.freeze("enforcement_forwardedpublication")
        audit_triggers.freeze("enforcement_dispatchreport")
        audit_triggers.freeze("enforcement_campaignorder")
        audit_triggers.freeze("enforcement_dailyanalysis")
        audit_triggers.freeze("enforcement_weeklyagenda")
        audit_triggers.freeze("enforcement_monthlybulletin")
