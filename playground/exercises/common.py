"""Helpers every generator shares: the seeded random stream, number text, and the list of mistakes kept."""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from numbers import Integral

import numpy as np

from playground.errors import Message
from playground.exercises.model import SEED_MAX, ExerciseError, Mistake
from playground.layers.shapes import out_size


def rng_for(exercise_id: str, seed: int) -> np.random.Generator:
    """The question's own random stream: the same (exercise, seed) always draws the same numbers."""
    return np.random.default_rng([int(seed), zlib.crc32(exercise_id.encode())])


def check_seed(seed) -> int:
    """A whole number 0..SEED_MAX, else ExerciseError."""
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= seed <= SEED_MAX:
        raise ExerciseError("exercises.errors.seed", value=str(seed)[:20], max=SEED_MAX)
    return int(seed)


def pick(rng: np.random.Generator, options: Sequence):
    """One element of options (any Python objects), drawn from rng."""
    return options[int(rng.integers(len(options)))]


def num(v: float, digits: int = 3) -> str:
    """Short text of a number: integers plain, others with up to `digits` decimals, a real minus sign."""
    r = round(float(v), digits)
    if r == 0:
        return "0"
    text = str(int(r)) if r == int(r) else f"{r:.{digits}f}".rstrip("0")
    return text.replace("-", "−")


def signed(v: float) -> str:
    """A number as a factor in a product: negative ones in brackets, '3×(−2)'."""
    return f"({num(v)})" if v < 0 else num(v)


def keep(answer, mistakes: Sequence[tuple[str, object, Message]]) -> tuple[Mistake, ...]:
    """Mistakes that lead to a different answer than the right one (and than every earlier mistake)."""
    kept: list[Mistake] = []
    for mistake_id, value, hint in mistakes:
        if value is None or answer.same(value, answer.value) or any(answer.same(value, m.value) for m in kept):
            continue
        kept.append(Mistake(mistake_id, value, hint))
    return tuple(kept)


def note(key: str, **params) -> Message:
    """A note on why a practice setting was used."""
    return Message(f"exercises.notes.{key}", params)


def size_slips(n: int, k: int, s: int, p: int, d: int) -> list[tuple[str, int | None, dict]]:
    """(id, output side under that slip, hint params) for one side; each recomputed with shapes.out_size."""
    top, reach = n + 2 * p - d * (k - 1) - 1, d * (k - 1)
    return [
        ("forgot_padding", out_size(n, k, s, 0, d) if p else None, {"pads": 2 * p}),
        ("padding_once", out_size(n + p, k, s, 0, d) if p else None, {"p": p, "pads": 2 * p}),  # n + p: one side only
        ("forgot_dilation", out_size(n, k, s, p, 1) if d > 1 else None, {"d": d, "k": k, "span": reach + 1, "reach": reach}),
        ("forgot_stride", out_size(n, k, 1, p, d) if s > 1 else None, {"s": s}),
        ("off_by_one", out_size(n, k, s, p, d) - 1, {}),  # left out the final + 1
        ("rounded_up", out_size(n + s - 1, k, s, p, d) if top % s else None, {"s": s}),  # ⌈top / s⌉ + 1
        ("no_minus_one", out_size(n + 1, k, s, p, d), {}),  # left out the − 1 inside the bracket
        ("input_size", n, {}),
    ]


def size_line(key: str, n: int, k: int, s: int, p: int, d: int) -> Message:
    """One worked line of the output-size formula for one side, its numbers filled in."""
    top = n + 2 * p - d * (k - 1) - 1
    return Message(key, {"n": n, "pads": 2 * p, "reach": d * (k - 1), "top": top, "s": s, "floor": top // s,
                         "out": out_size(n, k, s, p, d)})
