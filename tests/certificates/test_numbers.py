"""Certificate numbers: format, randomness source, check symbol and forgiving input."""

from __future__ import annotations

import random
import re
import secrets

import pytest

from certificates.numbers import (
    ALPHABET,
    PAYLOAD_LENGTH,
    format_number,
    is_valid,
    new_number,
    normalize,
)

PATTERN = re.compile(
    r"^PRX-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-"
    r"[0-9A-HJKMNP-TV-Z]$"
)


def _sample_numbers(n: int = 40) -> list[str]:
    rng = random.Random(1234)
    return [new_number(rng) for _ in range(n)]


def test_new_number_has_the_grouped_crockford_format_and_a_valid_check():
    number = new_number()
    assert PATTERN.match(number), number
    assert is_valid(number)


def test_new_numbers_carry_at_least_60_random_bits():
    assert len(ALPHABET) ** PAYLOAD_LENGTH >= 2**60
    numbers = {new_number() for _ in range(2000)}
    assert len(numbers) == 2000


def test_new_number_draws_from_the_given_random_source():
    assert new_number(random.Random(7)) == new_number(random.Random(7))
    assert new_number(random.Random(7)) != new_number(random.Random(8))


def test_default_random_source_is_the_secrets_module():
    assert new_number.__defaults__ == (secrets,)


def test_every_single_character_substitution_is_detected():
    for number in _sample_numbers():
        symbols = number[4:].replace("-", "")
        for i, original in enumerate(symbols):
            for replacement in ALPHABET:
                if replacement == original:
                    continue
                typo = symbols[:i] + replacement + symbols[i + 1 :]
                assert not is_valid("PRX" + typo), (number, typo)


def test_every_adjacent_transposition_including_the_check_symbol_is_detected():
    for number in _sample_numbers():
        symbols = number[4:].replace("-", "")
        for i in range(len(symbols) - 1):
            a, b = symbols[i], symbols[i + 1]
            if a == b:
                continue
            swapped = symbols[:i] + b + a + symbols[i + 2 :]
            assert not is_valid("PRX" + swapped), (number, swapped)


def test_normalize_accepts_lower_case_missing_dashes_spaces_and_no_prefix():
    number = new_number(random.Random(3))
    bare = number.replace("-", "")
    assert normalize(bare.lower()) == number
    assert normalize(" " + " ".join(number.split("-")) + " ") == number
    assert normalize(bare[3:]) == number
    assert normalize(number.replace("-", "\u2013")) == number


def test_normalize_reads_o_as_zero_and_i_or_l_as_one():
    canonical = format_number("100001110000")
    typed = canonical[3:].replace("0", "o").replace("1", "I", 1).replace("1", "l", 1)
    assert "o" in typed and "I" in typed and "l" in typed
    assert normalize(typed) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PRX",
        "PRX-7K3M-9QXD-2HVA",
        "PRX-7K3M-9QXD-2HVA-44",
        "PRX-7K3M-9QXD-2HVA-U",
        "XYZ-7K3M-9QXD-2HVA-4",
        "PRX-7K3M-9QXD-2HVA-5",
        "<script>",
    ],
)
def test_normalize_rejects_wrong_length_letters_prefix_or_check(text):
    assert normalize(text) is None
    assert not is_valid(text)


def test_the_specimen_number_is_valid():
    from certificates.sample import SPECIMEN_NUMBER

    assert normalize(SPECIMEN_NUMBER) == SPECIMEN_NUMBER
