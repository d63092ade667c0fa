"""The organisation: a tree of units and the staff who belong to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class UnitKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("市生态环境局")
    BRANCH = "branch", _("分局")
    COUNTY_BUREAU = "county_bureau", _("县(市)局")
    SECTION = "section", _("科室")
    TEAM = "team", _("执法队")
    DEPARTMENT = "department", _("外部责任部门")
    TOWN = "town", _("乡镇/街道")
    ENTERPRISE = "enterprise", _("企业")


#: Units that own cases and number them: the city bureau and the district/county bureaus.
REGION_KINDS = frozenset({UnitKind.CITY_BUREAU, UnitKind.BRANCH, UnitKind.COUNTY_BUREAU})
#: Responsible units outside the bureau (other departments, towns).
EXTERNAL_KINDS = frozenset({UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.ENTERPRISE})


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def regions(self) -> UnitQuerySet:
        return self.filter(kind__in=REGION_KINDS)

    def active(self) -> UnitQuerySet:
        return self.filter(active=True)


class Unit(models.Model):
    """A node of the jurisdiction tree: 市局 → 分局/县局 → 科室/执法队, plus external units.

    `path` is the materialised path of codes (``"TY/XD/"``), so "this unit and everything below it"
    is one indexed prefix query; `visible_to(user)` is built on it.
    """

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=400, editable=False, db_index=True)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    case_prefix = models.CharField(
        _("案件编号前缀"),
        max_length=10,
        blank=True,
        help_text=_("本单位案件编号的地区简称，如“小店”。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The path is derived data of the tree, kept with the row so that reads never recurse.
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # A renamed or moved unit takes its subtree along: jurisdiction follows paths.
                moved = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk))
                for unit in moved:
                    unit.path = self.path + unit.path[len(old_path) :]
                Unit.objects.bulk_update(moved, ["path"])

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
            ancestor = ancestor.parent

    @property
    def is_region(self) -> bool:
        return self.kind in REGION_KINDS

    @property
    def is_external(self) -> bool:
        return self.kind in EXTERNAL_KINDS

    def is_within(self, other: Unit) -> bool:
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)

    def reach(self) -> Unit:
        """The unit whose cases this unit's staff work: a bureau's enforcement team (执法队)
        investigates the bureau's cases (a complaint, a lead) and so sees them as the bureau
        does; every other unit works its own subtree."""
        if self.kind == UnitKind.TEAM and self.parent is not None:
            return self.region()
        return self

    def region(self) -> Unit:
        """The nearest region unit (bureau) at or above this one."""
        unit: Unit | None = self
        while unit is not None:
            if unit.is_region:
                return unit
            unit = unit.parent
        raise ValueError(f"unit {self.code} is not below any bureau")


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = pgettext_lazy("plural", "工作人员")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return gettext("%(name)s（%(unit)s）") % {"name": name, "unit": self.unit}


def unit_of(user: AbstractBaseUser | AnonymousUser | None) -> Unit | None:
    """The unit a user works in, or None (anonymous users, accounts without a staff profile)."""
    if user is None or not user.is_authenticated:
        return None
    staff = getattr(user, "staff", None)
    return staff.unit if staff is not None else None
