"""Lessons: ordered scenes read from TOML files (format in docs/lessons.md), with predictions from the exercises.

model (Lesson, Scene, Prediction, Option, Text, LessonError, say), parse (load), steps (the step-through
setting of a scene), library (builtin: the lessons shipped in files/).
"""
from playground.lessons.library import builtin, legacy
from playground.lessons.model import KINDS, VIEWS, Lesson, LessonError, Option, Prediction, Scene, Text, say
from playground.lessons.parse import load

__all__ = ["KINDS", "VIEWS", "Lesson", "LessonError", "Option", "Prediction", "Scene", "Text", "builtin", "legacy",
           "load", "say"]
