"""The exercise registry: one generator per exercise id; make() builds a seeded Question, exercises_for() lists a lab's.

A generator is `(spec, seed, variant=False, **ctx) -> Question`. It reads the student's current settings
(the spec, plus page context such as the step-through's Problem or the Layer lab's input shape) and uses
the seed for everything the settings leave open; variant=True asks for a seeded practice setting instead.
The same id, seed, settings and context always give an equal Question.
"""
from __future__ import annotations

from collections.abc import Callable

from playground.exercises import image, layers, steps, training
from playground.exercises.common import check_seed
from playground.exercises.model import ExerciseError, Question
from playground.spec import PipelineSpec

Generator = Callable[..., Question]

EXERCISES: dict[str, Generator] = {
    "image.corner": image.corner,
    "image.normalize": image.normalized,
    "steps.next_value": steps.next_value,
    "steps.out_size": steps.output_size,
    "steps.window": steps.window_cells,
    "layers.out_shape": layers.out_shape,
    "layers.params": layers.params,
    "layers.receptive_field": layers.receptive_field,
    "training.chance": training.chance,
    "training.diverge": training.diverge,
}


def lab_of(exercise_id: str) -> str:
    """The lab an exercise belongs to: the part of its id before the dot."""
    return exercise_id.split(".", 1)[0]


def exercises_for(lab: str) -> tuple[str, ...]:
    """The exercise ids of one lab ("image", "steps", "layers", "training"), in registry order."""
    return tuple(e for e in EXERCISES if lab_of(e) == lab)


def make(exercise_id: str, spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """The seeded question of an exercise for these settings; ExerciseError for an unknown id or a bad seed."""
    generator = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if generator is None:
        raise ExerciseError("exercises.errors.unknown", id=str(exercise_id)[:40])
    if not isinstance(spec, PipelineSpec):
        raise ExerciseError("exercises.errors.spec")
    return generator(spec, check_seed(seed), bool(variant), **ctx)

