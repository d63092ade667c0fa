"""The registry of regulated enterprises (排污单位): who is inspected, ordered, complained about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enforcement.models.geo import latitude_field, longitude_field
from enforcement.validators import validate_uscc
from workflow.models import Unit


class SupervisionTier(models.TextChoices):
    """监管类别: the tier sets the 双随机 sampling ratio and how often the unit is inspected."""

    KEY = "key", _("重点监管")
    GENERAL = "general", _("一般监管")
    SPECIAL = "special", _("特殊监管")


class Enterprise(models.Model):
    name = models.CharField(_("单位名称"), max_length=200)
    #: The name folded for matching complaints about it (`duplicates.target_key`).
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    address = models.CharField(_("地址"), max_length=200)
    jurisdiction = models.ForeignKey(
        Unit,
        verbose_name=_("管辖单位"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("负责监管本单位的局（市局或分局/县局）。"),
    )
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    tier = models.CharField(
        _("监管类别"),
        max_length=10,
        choices=SupervisionTier.choices,
        default=SupervisionTier.GENERAL,
    )
    permit_no = models.CharField(_("排污许可证编号"), max_length=60, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_name = models.CharField(_("环保联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("排污单位")
        verbose_name_plural = pgettext_lazy("plural", "排污单位")
        ordering = ["name"]
        indexes = [models.Index(fields=["jurisdiction", "tier"], name="enterprise_by_unit_tier")]

    def __str__(self) -> str:
        return self.name
