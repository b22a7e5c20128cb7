"""Image lab questions: where a marked corner cell ends after a flip / right-angle turn; stats after normalization.

The answers come from the Image lab's own code (playground.image.augment, playground.image.normalize); the
tests check them against cv2.flip / cv2.rotate and scikit-learn's scalers.
"""
from __future__ import annotations

import numpy as np

from playground.errors import Message
from playground.exercises.answers import Choice, Decimal
from playground.exercises.common import keep, note, num, pick, rng_for
from playground.exercises.model import ExerciseError, Question
from playground.image import augment
from playground.image.normalize import normalize
from playground.spec import PipelineSpec

CORNERS = ("top_left", "top_right", "bottom_left", "bottom_right")
FLIPS = ("none", "horizontal", "vertical", "both")
RIGHT_ANGLES = (0, 90, 180, -90)
METHODS = ("minmax01", "minmax11", "zscore")
STATS = ("min", "max", "mean")
_STAT = {"min": np.min, "max": np.max, "mean": np.mean}


def corner_label(corner: str) -> Message:
    """The translatable name of a corner."""
    return Message(f"exercises.options.corners.{corner}")


def marked_grid(n: int, corner: str) -> np.ndarray:
    """An (n, n, 1) uint8 grid of zeros with 255 in one corner cell."""
    grid = np.zeros((n, n, 1), np.uint8)
    grid[(n - 1) * ("bottom" in corner), (n - 1) * ("right" in corner), 0] = 255
    return grid


def corner_of(grid: np.ndarray) -> str:
    """The corner holding the brightest cell of a square grid."""
    r, c = np.unravel_index(int(np.argmax(grid[..., 0])), grid.shape[:2])
    n = grid.shape[0]
    return ("bottom" if r > (n - 1) / 2 else "top") + "_" + ("right" if c > (n - 1) / 2 else "left")


def moved(n: int, start: str, flip: str, angle: int) -> str:
    """Where the marked corner ends after the Image lab's flip, then its turn."""
    return corner_of(augment.apply(marked_grid(n, start), augment.AugParams(flip, float(angle))))


def _transform(spec: PipelineSpec, rng, variant: bool) -> tuple[str, int, Message | None]:
    """(flip, angle) from the student's fixed settings when they are right angles, else a seeded practice one."""
    a = spec.augment
    usable = a.mode == "fixed" and a.angle % 90 == 0 and (a.flip != "none" or a.angle % 360 != 0)
    if usable and not variant:
        return a.flip, a.angle if a.angle % 360 else 0, None
    why = None if variant else note("corner_random" if a.mode != "fixed" else "corner_angle" if a.angle % 90
                                    else "corner_none", angle=a.angle)
    while True:
        flip, angle = pick(rng, FLIPS), pick(rng, RIGHT_ANGLES)
        if flip != "none" or angle:
            return flip, angle, why


def _turn(angle: int) -> Message:
    return Message("exercises.image.corner.turn_ccw" if angle > 0 else "exercises.image.corner.turn_cw",
                   {"angle": abs(angle)})


def _corner_working(n: int, start: str, flip: str, angle: int, end: str) -> tuple[Message, ...]:
    lines, here = [], start
    if flip != "none":
        after = moved(n, start, flip, 0)
        lines.append(Message(f"exercises.image.corner.work_flip_{flip}", {"a": corner_label(here), "b": corner_label(after)}))
        here = after
    if angle:
        lines.append(Message("exercises.image.corner.work_turn", {"turn": _turn(angle), "a": corner_label(here),
                                                                 "b": corner_label(end)}))
    return (*lines, Message("exercises.image.corner.work_end", {"corner": corner_label(end)}))


def corner(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """After the flip and turn, which corner is the marked cell in?"""
    rng = rng_for("image.corner", seed)
    flip, angle, why = _transform(spec, rng, variant)
    n, start = pick(rng, (3, 4, 5)), pick(rng, CORNERS)
    end = moved(n, start, flip, angle)
    answer = Choice(end, CORNERS, "corners")
    other = {"horizontal": "vertical", "vertical": "horizontal"}.get(flip)
    hint = "exercises.hints."
    # Turning first and flipping after lands where turning the wrong way does (H·R = R⁻¹·H): one hint covers both.
    both = flip != "none" and angle  # "you flipped / rotated correctly" needs a flip and a turn (else: "unchanged")
    mistakes = keep(answer, [
        ("wrong_direction", moved(n, start, flip, -angle) if angle % 180 else None, Message(hint + "corner_direction")),
        ("flip_mixed_up", moved(n, start, other, angle) if other else None, Message(hint + "corner_flip")),
        ("forgot_turn", moved(n, start, flip, 0) if both else None, Message(hint + "corner_forgot_turn")),
        ("forgot_flip", moved(n, start, "none", angle) if both else None, Message(hint + "corner_forgot_flip")),
        ("unchanged", start, Message(hint + "corner_unchanged")),
    ])
    given = [Message("exercises.image.corner.start", {"n": n, "corner": corner_label(start)})]
    if flip != "none":
        given.append(Message(f"exercises.image.corner.flip_{flip}"))
    if angle:
        given.append(Message("exercises.image.corner.then_turn" if flip != "none" else "exercises.image.corner.only_turn",
                             {"turn": _turn(angle)}))
    r, c = np.argwhere(marked_grid(n, start)[..., 0])[0]
    return Question("image.corner", "image", seed, Message("exercises.image.corner.prompt"), answer,
                    _corner_working(n, start, flip, angle, end), mistakes, Message(hint + "corner_generic"),
                    tuple(given), {"n": n, "marked": (int(r), int(c)), "flip": flip, "angle": angle},
                    variant or why is not None, why)


def _values(ctx: dict, rng) -> np.ndarray:
    """The channel's numbers: ctx['values'] (2..8 integers 0..255, not all equal) or 5 seeded multiples of 5."""
    given = ctx.get("values")
    if given is None:
        return np.sort(rng.choice(np.arange(0, 256, 5), 5, replace=False)).astype(np.int64)
    try:
        arr = np.asarray(given)
        ok = arr.ndim == 1 and 2 <= arr.size <= 8 and np.issubdtype(arr.dtype, np.integer)
        ok = ok and int(arr.min()) >= 0 and int(arr.max()) <= 255 and arr.min() != arr.max()
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        raise ExerciseError("exercises.errors.values")
    return arr.astype(np.int64)


def _method_and_stat(spec: PipelineSpec, rng, variant: bool, ctx: dict) -> tuple[str, str, Message | None]:
    method, why = spec.norm.method, None
    if variant or method not in METHODS:
        why = None if variant else note("norm_method")
        method = pick(rng, METHODS)
    weights = (0.4, 0.4, 0.2) if method == "zscore" else (0.25, 0.25, 0.5)  # favour the stat that is not fixed
    stat = ctx.get("stat") if ctx.get("stat") in STATS else STATS[int(rng.choice(3, p=weights))]
    return method, stat, why


def _norm_mistakes(x: np.ndarray, method: str, stat: str) -> list[tuple[str, object, Message]]:
    """The stat under each typical slip: not normalized, n − 1, no centring, dividing by max, no stretch."""
    old, lo, hi = float(_STAT[stat](x)), float(x.min()), float(x.max())
    span, m, sd, sd1 = hi - lo, float(x.mean()), float(x.std()), float(x.std(ddof=1))
    h = "exercises.hints."
    out = [("unchanged", old, Message(h + "norm_unchanged"))]
    if method == "zscore":
        return out + [("sample_std", (old - m) / sd1, Message(h + "norm_sample_std", {"n": x.size})),
                      ("no_centre", old / sd, Message(h + "norm_no_centre", {"mean": num(m)})),
                      ("no_scale", old - m, Message(h + "norm_no_scale", {"std": num(sd)}))]
    unit = (old - lo) / span
    out += [("divided_by_max", (old - lo) / hi if hi else None, Message(h + "norm_span", {"span": num(span), "hi": num(hi)})),
            ("no_min", old / hi if hi else None, Message(h + "norm_no_min", {"lo": num(lo)}))]
    if method == "minmax11":
        out += [("no_stretch", unit, Message(h + "norm_stretch")), ("no_minus_one", 2 * unit, Message(h + "norm_minus_one"))]
    else:
        out.append(("stretched", 2 * unit - 1, Message(h + "norm_range01")))
    return out


def _norm_working(x: np.ndarray, method: str, stat: str, value: float) -> tuple[Message, ...]:
    old = Message("exercises.image.norm.work_apply", {"stat": _stat_label(stat), "old": num(_STAT[stat](x)),
                                                       "new": num(value)})
    if method == "zscore":
        m, sd = float(x.mean()), float(x.std())
        terms = " + ".join(str(v) for v in x)
        return (Message("exercises.image.norm.work_mean", {"terms": terms, "n": x.size, "mean": num(m)}),
                Message("exercises.image.norm.work_std", {"std": num(sd), "n": x.size}),
                Message("exercises.image.norm.work_zscore", {"mean": num(m), "std": num(sd)}), old)
    lo, hi = int(x.min()), int(x.max())
    return (Message("exercises.image.norm.work_range", {"lo": lo, "hi": hi, "span": hi - lo}),
            Message(f"exercises.image.norm.work_{method}", {"lo": lo, "span": hi - lo}), old)


def _stat_label(stat: str) -> Message:
    return Message(f"exercises.image.norm.stats.{stat}")


def normalized(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """The new min / max / mean of a few channel values after min-max or z-score (the spec's method if it is one)."""
    rng = rng_for("image.normalize", seed)
    method, stat, why = _method_and_stat(spec, rng, variant, ctx)
    x = _values(ctx, rng)
    out, _ = normalize(x.astype(np.uint8).reshape(1, -1, 1), method)  # the Image lab's code, (1, n, 1) float32
    value = float(_STAT[stat](out.astype(np.float64)))
    answer = Decimal(value, tol=0.01, example="−0.47")
    given = (Message("exercises.image.norm.given", {"values": ", ".join(str(v) for v in x),
                                                     "method": Message(f"image.methods.{method}")}),)
    return Question("image.normalize", "image", seed, Message("exercises.image.norm.prompt", {"stat": _stat_label(stat)}),
                    answer, _norm_working(x, method, stat, value), keep(answer, _norm_mistakes(x, method, stat)),
                    Message("exercises.hints.norm_generic"), given,
                    {"values": tuple(int(v) for v in x), "method": method, "stat": stat}, variant or why is not None, why)
