"""Certificate numbers: random, unguessable, easy to read aloud and to type back.

Format ``PRX-7K3M-9QXD-2HVA-T``: 12 random Crockford base32 symbols (60 bits, so the public
verify page cannot be enumerated) and one check symbol. The check symbol is a weighted sum in
GF(32) (weights alpha**12 .. alpha**1 for the payload, 1 for the check itself, alpha a primitive
element). Because every weight is non-zero and consecutive weights differ, every single-symbol
error and every swap of two neighbouring symbols (the check symbol included) is detected, and the
check symbol stays inside the Crockford alphabet, so O/0 and I/L/1 folding applies to it too.
"""

from __future__ import annotations

import secrets
from typing import Protocol, runtime_checkable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PRX"
PAYLOAD_LENGTH = 12
GROUP = 4
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford decoding: letters people confuse with digits fold onto the digit.
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = " -_.\t\u2010\u2011\u2012\u2013\u2014\u2212"

# GF(32) with primitive polynomial x^5 + x^2 + 1; alpha = x = 2.
_EXP = [0] * 62
_LOG = [0] * 32
_v = 1
for _i in range(31):
    _EXP[_i] = _v
    _LOG[_v] = _i
    _v <<= 1
    if _v & 0x20:
        _v ^= 0b100101
for _i in range(31, 62):
    _EXP[_i] = _EXP[_i - 31]


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def check_symbol(payload: str) -> str:
    """The check symbol for a payload of Crockford symbols (already normalized)."""
    n = len(payload)
    acc = 0
    for i, ch in enumerate(payload):
        acc ^= _gf_mul(_VALUE[ch], _EXP[n - i])  # weights alpha^n .. alpha^1
    return ALPHABET[acc]


@runtime_checkable
class _BelowSource(Protocol):
    """``secrets`` (production), or anything else with ``randbelow``."""

    def randbelow(self, exclusive_upper_bound: int, /) -> int: ...


class _RangeSource(Protocol):
    """``random.Random`` (tests and demo data: seeded, repeatable), or else with ``randrange``."""

    def randrange(self, stop: int, /) -> int: ...


def format_number(payload: str) -> str:
    """Canonical printed form: PREFIX-XXXX-XXXX-XXXX-C."""
    groups = [payload[i : i + GROUP] for i in range(0, len(payload), GROUP)]
    return "-".join([PREFIX, *groups, check_symbol(payload)])


def new_number(rng: _BelowSource | _RangeSource = secrets) -> str:
    """A fresh random certificate number (60 random bits from ``rng``, the OS CSPRNG by default).

    Uniqueness is the caller's job (a unique index; retry on the astronomically rare clash).
    """
    draw = rng.randbelow if isinstance(rng, _BelowSource) else rng.randrange
    value = draw(32**PAYLOAD_LENGTH)
    payload = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(PAYLOAD_LENGTH)))
    return format_number(payload)


def normalize(text: str) -> str | None:
    """Canonical number from what a person typed, or None if it is not a valid number.

    Case, spaces and dashes do not matter, O reads as 0 and I/L as 1, and the PRX prefix is
    optional. A wrong check symbol gives None, so typos never look up someone else's number.
    """
    if not isinstance(text, str):
        return None
    compact = "".join(ch for ch in text.strip().upper() if ch not in _SEPARATORS)
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + PAYLOAD_LENGTH + 1:
        compact = compact[len(PREFIX) :]
    if len(compact) != PAYLOAD_LENGTH + 1:
        return None
    compact = compact.translate(_FOLD)
    if any(ch not in _VALUE for ch in compact):
        return None
    payload, check = compact[:-1], compact[-1]
    if check_symbol(payload) != check:
        return None
    return format_number(payload)


def is_valid(number: str) -> bool:
    """True when ``number`` (in any accepted spelling) carries a correct check symbol."""
    return normalize(number) is not None
