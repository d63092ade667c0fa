"""污染源/点位: places that need watching but hold no unified social credit code — a 工地, a road,
a food stall, an open fire, a yard, a 散乱污 workshop, an outfall."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from enforcement.models.geo import latitude_field, longitude_field
from workflow.models.unit import Unit


class PlaceKind(models.TextChoices):
    SITE = "site", _("建筑工地")
    ROAD = "road", _("道路")
    CATERING = "catering", _("餐饮")
    BURNING = "burning", _("露天焚烧点")
    YARD = "yard", _("堆场")
    SCATTERED = "scattered", _("散乱污")
    OUTFALL = "outfall", _("入河排污口")
    OTHER = "other", _("其他")


class Place(models.Model):
    """A place on the bureau's register: what it is, where, who answers for it on the ground (a
    town or street office) and its owner where known."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=PlaceKind.choices)
    address = models.CharField(_("位置"), max_length=200)
    jurisdiction = models.ForeignKey(
        Unit,
        verbose_name=_("管辖单位"),
        on_delete=models.PROTECT,
        related_name="places",
        help_text=_("负责该点位的局（市局或分局/县局）。"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("属地责任单位"),
        on_delete=models.PROTECT,
        related_name="places_held",
        null=True,
        blank=True,
    )
    owner = models.CharField(_("责任主体"), max_length=200, blank=True)
    longitude = longitude_field()
    latitude = latitude_field()
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("污染源点位")
        verbose_name_plural = pgettext_lazy("plural", "污染源点位")
        ordering = ["jurisdiction", "kind", "name"]
        indexes = [models.Index(fields=["jurisdiction", "kind"], name="place_by_unit_kind")]
        constraints = [
            # A place is known by its bureau, type and name: an import updates, never doubles.
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "name"], name="place_unique_name"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（%(kind)s）") % {
            "name": self.name,
            "kind": self.get_kind_display(),
        }
