"""Check a typed answer: right (with the working), wrong (with the hint of the mistake it matches), or unreadable.

A wrong answer is compared with every typical mistake the generator recomputed; the first that matches
gives its specific hint. From the second wrong attempt on the working is shown too. An answer that
cannot be read, or has the wrong number of parts, gets a format hint and never counts as wrong.
Nothing here changes any setting.
"""
from __future__ import annotations

from numbers import Integral

from playground.errors import Message
from playground.exercises.answers import Choice
from playground.exercises.model import RECORDED, RIGHT, UNREADABLE, WRONG, AnswerFormatError, Question, Verdict

REVEAL_AFTER = 2  # the working comes with the second wrong answer


def is_prediction(question: Question) -> bool:
    """True for a question whose answer is only known after running something (a Choice without a value)."""
    return isinstance(question.answer, Choice) and question.answer.value is None


def check(question: Question, text, attempt: int = 1) -> Verdict:
    """The verdict on `text` as answer number `attempt` (1-based) to `question`; never raises for any text."""
    attempt = int(attempt) if isinstance(attempt, Integral) and not isinstance(attempt, bool) else 1
    answer = question.answer
    try:
        value = answer.parse(text)
    except AnswerFormatError as exc:
        return Verdict(UNREADABLE, Message("exercises.verdict.unreadable"), exc.message)
    if is_prediction(question):
        return Verdict(RECORDED, Message("exercises.verdict.recorded"), value=value)
    if answer.same(value, answer.value):
        return Verdict(RIGHT, Message("exercises.verdict.right"), working=question.working, value=value)
    reveal = question.working if attempt >= REVEAL_AFTER else ()
    for mistake in question.mistakes:
        if answer.same(value, mistake.value):
            return Verdict(WRONG, Message("exercises.verdict.wrong"), mistake.hint, reveal, mistake.id, value)
    if not answer.fits(value):  # e.g. two numbers for C×H×W that match no known slip
        return Verdict(UNREADABLE, Message("exercises.verdict.unreadable"), answer.format, value=value)
    return Verdict(WRONG, Message("exercises.verdict.wrong"), question.hint, reveal, None, value)


def settle(question: Question, prediction: str, observed: str, seen: tuple[Message, ...] = ()) -> Verdict:
    """Compare a recorded prediction with what the runs showed; `seen` adds lines on what happened."""
    working = (*seen, *question.working)
    if prediction == observed:
        return Verdict(RIGHT, Message("exercises.verdict.prediction_right"), working=working, value=prediction)
    hint = Message(f"exercises.hints.observed_{observed}", dict(question.answer.params))
    return Verdict(WRONG, Message("exercises.verdict.prediction_wrong"), hint, working, None, prediction)
