from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("闭环工作流")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from workflow import checks  # noqa: F401  (registers the system checks)
