"""Drawing an attempt's scenarios from a quiz's pool, and the order its options are shown in.

Both are pure functions of a seed, so the server stores one integer per attempt and the
question, review and result pages all show exactly the order the learner saw.

Drawing prefers what the learner has seen least: each slot takes the candidates with the
fewest earlier presentations (ties broken by the seed), so a retake sees new scenarios for
as long as the pool has any.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .model import Option, Quiz, Slot

__all__ = ["draw", "option_order", "ordered_options", "pool_ratio"]


def _rng(seed: int, salt: str) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`: stable across runs and Python versions.
    return random.Random(f"{seed}:{salt}")


def draw(quiz: Quiz, seed: int, seen: Mapping[str, int] | None = None) -> tuple[str, ...]:
    """The scenario ids one attempt presents: `pick` per slot, least-seen first.

    `seen` counts earlier presentations per scenario id for this learner. With
    `order: random` the drawn scenarios are shuffled; otherwise they keep slot order.
    """
    seen = seen or {}
    rng = _rng(seed, quiz.id)
    out: list[str] = []
    for slot in quiz.draw_slots:
        out.extend(_draw_slot(slot, seen, rng))
    if quiz.order == "random":
        rng.shuffle(out)
    return tuple(out)


def _draw_slot(slot: Slot, seen: Mapping[str, int], rng: random.Random) -> list[str]:
    tiebreak = {sid: rng.random() for sid in slot.candidates}
    ranked = sorted(slot.candidates, key=lambda sid: (seen.get(sid, 0), tiebreak[sid]))
    chosen = set(ranked[: slot.pick])
    return [sid for sid in slot.candidates if sid in chosen]  # keep the written order in a slot


def option_order(options: Sequence[Option], seed: int, scenario_id: str) -> tuple[str, ...]:
    """Option ids in the order shown: shuffled per seed and scenario, pinned ones in place."""
    free = [o.id for o in options if not o.pinned]
    _rng(seed, scenario_id).shuffle(free)
    it = iter(free)
    return tuple(o.id if o.pinned else next(it) for o in options)


def ordered_options(options: Sequence[Option], seed: int | None, scenario_id: str) -> list[Option]:
    """`options` in shown order (written order when there is no seed: attempts made before
    shuffling existed)."""
    if seed is None:
        return list(options)
    by_id = {o.id: o for o in options}
    return [by_id[i] for i in option_order(options, seed, scenario_id)]


def pool_ratio(quiz: Quiz) -> float:
    """Pool size over scenarios shown per attempt (1.0 for a fixed quiz)."""
    return len(quiz.scenarios) / max(1, quiz.shown)
