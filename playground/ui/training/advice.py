"""Training lab advice: a diverged run's hint with a button that applies it, the loss scale note, the time estimate.

Every learning rate named here is a stop of the slider (playground/limits.py:LR_STEPS via
playground/training/divergence.py), and the button writes it through state.write, so a teacher's lock holds.
"""
from __future__ import annotations

import math

import streamlit as st

from playground.errors import SpecError
from playground.training import budget
from playground.training.divergence import suggested_lr
from playground.ui import bind, messages
from playground.ui.runs import lab
from playground.ui.state import button_key, get_spec, tr, write

LOG_AFTER = 10.0  # a loss this many times the first one is drawn on a log axis (a spike of 2000 over 2.3)


def fixed(path: str) -> bool:
    """True when a teacher's link locks or hides path: no button may change it then."""
    return bind.locked(path) or bind.hidden(path)


def _apply_lr(value: float) -> None:
    """Button callback: set the suggested learning rate (refused under a teacher's lock or hide)."""
    if not fixed("train.lr"):
        write("train.lr", value)


def _continue() -> None:
    """Button callback: the stuck run goes on from where it stopped, with the auto-stop off."""
    lab().continue_current()


def diverged(trainer, h) -> None:
    """What went wrong, what to try, a button that sets the suggested rate and, for a run stuck at chance that has
    epochs left, one that lets it go on (a slow optimizer such as plain SGD can still leave chance)."""
    st.error(f"{messages.text(h.problem)} {messages.text(h.hint)}", icon=":material/warning:")
    if h.problem.key == "train.diverge.stuck" and trainer.can_continue:
        st.button(tr("polish.train.continue", epochs=trainer.spec.train.epochs - len(h.epochs)),
                  key=button_key("train.continue"), on_click=_continue, icon=":material/fast_forward:")
    new = suggested_lr(h.problem, trainer.spec.train.lr)
    if new is None:
        return
    locked = fixed("train.lr")
    done = get_spec().train.lr == new
    st.button(tr("train.advice.apply", lr=f"{new:g}"), key=button_key("train.apply_lr"), on_click=_apply_lr,
              args=(new,), disabled=locked or done, icon=":material/tune:")
    if locked:
        st.caption(tr("train.advice.locked"))
    elif done:
        st.caption(tr("train.advice.applied", lr=f"{new:g}"))


def log_scale(losses: list[float]) -> bool:
    """True when the loss rose far above its first value: a linear axis would flatten the rest of the curve."""
    finite = [v for v in losses if math.isfinite(v)]
    return bool(finite) and max(finite) > LOG_AFTER * max(finite[0], 0.1)


def loss_note(losses: list[float]) -> None:
    """Say that the loss axis is logarithmic, and why, when it is."""
    if log_scale(losses):
        top = max(v for v in losses if math.isfinite(v))
        st.caption(tr("train.advice.log_note", top=f"{top:,.0f}", first=f"{losses[0]:.2f}"))


def estimate(net, data, train) -> bool:
    """The run's estimated server time before Start (cost model × this server's measured rate); False if over budget."""
    try:
        cost = budget.train_estimate(net, data, train)
        budget.check(cost, train)
    except SpecError as exc:
        st.error(messages.error_text(exc))
        return False
    st.caption(messages.text(budget.estimate_message(cost, budget.RATES.factor())))
    return True
