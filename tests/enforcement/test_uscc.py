"""统一社会信用代码 (GB 32100-2015): length, character set and check character."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from enforcement.validators import USCC_CHARSET, uscc_check_char, validate_uscc

#: The example printed in GB 32100-2015.
STANDARD_EXAMPLE = "91350100M000100Y43"


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    return caught.value


def test_the_standards_example_is_valid() -> None:
    validate_uscc(STANDARD_EXAMPLE)
    assert uscc_check_char(STANDARD_EXAMPLE[:17]) == "3"


@pytest.mark.parametrize(
    "first17",
    ["91140105MA0KB7R2X", "12140100405738220", "93140121MA0HLL0Q8", "51140000MJY000000"],
)
def test_codes_built_with_their_check_character_are_valid(first17: str) -> None:
    validate_uscc(first17 + uscc_check_char(first17))


def test_lower_case_and_spaces_are_forgiven() -> None:
    validate_uscc(" 91350100m000100y43 ")
    validate_uscc("9135 0100 M000 100Y 43")


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y431"])
def test_a_wrong_length_is_refused_with_the_count(value: str) -> None:
    error = error_of(value)
    assert error.code == "length"
    assert f"统一社会信用代码应为18位，您填写了{len(value)}位。" in error.messages


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_standard_are_refused_by_name(letter: str) -> None:
    code = STANDARD_EXAMPLE[:9] + letter + STANDARD_EXAMPLE[10:]
    error = error_of(code)
    assert error.code == "charset"
    assert error.messages == [f"统一社会信用代码含有无效字符：{letter}（不使用 I、O、Z、S、V）。"]


def test_punctuation_is_refused_as_a_character() -> None:
    error = error_of("91350100M000100Y4-")
    assert error.code == "charset"
    assert "-" in error.messages[0]


def test_a_wrong_check_character_is_refused() -> None:
    error = error_of(STANDARD_EXAMPLE[:17] + "4")
    assert error.code == "check_digit"
    assert error.messages == ["统一社会信用代码校验位不正确，请核对后重新填写。"]


prefixes = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@given(prefixes)
def test_every_prefix_with_its_check_character_is_valid(first17: str) -> None:
    validate_uscc(first17 + uscc_check_char(first17))


@given(prefixes, st.integers(min_value=0, max_value=17), st.sampled_from(USCC_CHARSET))
def test_changing_any_one_character_invalidates_a_valid_code(
    first17: str, position: int, replacement: str
) -> None:
    code = first17 + uscc_check_char(first17)
    if code[position] == replacement:
        replacement = USCC_CHARSET[(USCC_CHARSET.index(replacement) + 1) % len(USCC_CHARSET)]
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(changed)
    assert caught.value.code == "check_digit"
