"""Validators of the bureau's identifiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

#: GB 32100-2015 统一社会信用代码: the 31 characters (no I, O, Z, S, V) and the weights of the
#: first 17 positions; the 18th is the check character.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_uscc(value: str) -> None:
    """A unified social credit code: 18 characters of GB 32100-2015 with a correct check digit."""
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，您填写了%(n)d位。") % {"n": len(code)}, code="length"
        )
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s（不使用 I、O、Z、S、V）。")
            % {"chars": pgettext("list separator", "、").join(bad)},
            code="charset",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新填写。"), code="check_digit"
        )
