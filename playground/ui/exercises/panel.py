"""The "Check yourself" panel every lab shows: a question made from the student's own settings, checked with hints.

A lab calls panel(lab, **ctx) once. ctx holds what its generators need (steps: problem and step; layers:
in_shape), each a value or a function giving it, read when the panel draws (a step taken since counts).
The panel is an st.fragment: typing, checking and a new question rerun only the panel. Answering never
writes the spec or a lab's view settings; only the panel's own picks (exercise, practice) are view settings.
"""
from __future__ import annotations

import secrets
from dataclasses import replace

import streamlit as st

from playground.classroom.lock import student_query
from playground.errors import PlaygroundError
from playground.exercises.answers import Choice
from playground.exercises.checker import check, is_prediction
from playground.exercises.model import RECORDED, RIGHT, SEED_MAX, UNREADABLE, Question
from playground.exercises.progress import progress
from playground.exercises.reading import MAX_CHARS
from playground.exercises.registry import make
from playground.steps.inputs import fmt_number
from playground.ui import bind, messages
from playground.ui.exercises import pair as exercise_pair
from playground.ui.exercises import session as ex
from playground.ui.sidebar.classroom import share_link, student_room
from playground.ui.state import EX_RENEWED, button_key, get_spec, read, room, tab_slot, tr, write

CHANNELS = ("R", "G", "B")


def panel(lab: str, **ctx) -> None:
    """The lab's "Check yourself" expander (open when the share link hands out one of its questions)."""
    opened = ex.open_link(lab)
    with st.expander(tr("exercises.panel.title"), expanded=opened, icon=":material/quiz:"):
        st.fragment(_body)(lab, ctx)


def _body(lab: str, ctx: dict) -> None:
    """Picker, question, answer, verdict; a prediction's runs; the teacher's link to this question."""
    if ex.refresh_wanted():
        st.rerun()  # a lesson's exercise was just finished: a full run updates the sidebar's checklist
    values = {k: v() if callable(v) else v for k, v in ctx.items()}
    picked, practice = _picker(lab)
    try:
        ask, fresh, only_one = _fresh(lab, picked, practice, values)
    except PlaygroundError as exc:
        st.error(tr("exercises.panel.error", reason=messages.error_text(exc)))
        return
    question, moved = ex.current(lab, ask, fresh)
    exercise_pair.settle(lab, question)
    _question(lab, question, moved, only_one)
    _answer(lab, question)
    if is_prediction(question) and exercise_pair.locked(question):  # the runs first, then what they say
        exercise_pair.section(lab, question)
        _verdict(lab, question)
    else:
        _verdict(lab, question)
        if is_prediction(question):
            exercise_pair.section(lab, question)
    _share(lab, question, practice)


def _fresh(lab: str, picked: str, practice: bool, values: dict) -> tuple[tuple, Question, bool]:
    """(ask, question, only one): the question of the current settings; a New question that changed nothing turns practice on."""
    seed = ex.seed_of(picked)
    question = make(picked, get_spec(), seed, practice, **values)
    old = tab_slot(EX_RENEWED, dict).pop(lab, None)
    if old is not None and not practice and old.id == picked and replace(question, seed=old.seed) == old:
        write(f"view.ex.practice.{lab}", True)  # the panel's own switch: no lab setting
        practice, question = True, make(picked, get_spec(), seed, True, **values)
        return (picked, seed, practice), question, True
    return (picked, seed, practice), question, False


def _picker(lab: str) -> tuple[str, bool]:
    """The exercise (the lesson's first, done ones ticked), New question, and the practice switch."""
    ids, lesson, record = ex.ordered(lab), set(ex.lesson_exercises()), ex.record()
    names = {}
    for e in ids:
        name = tr("exercises.panel.in_lesson", title=ex.title(e)) if e in lesson else ex.title(e)
        names[e] = tr("exercises.panel.done_mark", title=name) if record.get(e).done else name
    pick, new, switch = st.columns([4, 3, 4], vertical_alignment="bottom")
    with pick:
        picked = bind.control(f"view.ex.pick.{lab}", st.selectbox, label=tr("exercises.panel.pick"), options=ids,
                              format_func=names.__getitem__)
    new.button(tr("exercises.panel.new"), key=button_key(f"ex.new.{lab}"), on_click=_new_question, args=(lab,),
               icon=":material/casino:", help=tr("exercises.panel.new_help"), width="stretch")
    with switch:
        practice = bind.toggle(f"view.ex.practice.{lab}", "exercises.panel.practice", "exercises.panel.practice_help")
    return picked, bool(practice)


def _new_question(lab: str) -> None:
    """Button callback: another question number for the picked exercise (the draw decides if it changed anything)."""
    picked, last = read(f"view.ex.pick.{lab}"), ex.shown(lab)
    seed = ex.seed_of(picked)
    while (new := secrets.randbelow(SEED_MAX + 1)) == seed:
        pass
    ex.set_seed(picked, new)
    if last is not None:
        tab_slot(EX_RENEWED, dict)[lab] = last[1]


def _question(lab: str, q: Question, moved: bool, only_one: bool) -> None:
    """The question's number and the lab's progress, why a practice setting is used, the facts, the prompt."""
    done = progress(ex.record(), [q.id] + [e for e in ex.ordered(lab) if e != q.id])
    st.caption(f"{tr('exercises.panel.number', seed=q.seed)} · {ex.text(done.message)}")
    if only_one:
        st.info(tr("exercises.panel.only_one"), icon=":material/info:")
    if q.note is not None:
        st.caption(ex.text(q.note))
    elif q.variant:
        st.caption(tr("exercises.panel.practice_note"))
    for line in [ex.text(m) for m in q.given]:
        st.markdown(line)
    _grids(q)
    st.subheader(ex.text(q.prompt), anchor=False)
    if moved:
        st.caption(tr("exercises.panel.moved"))
        st.button(tr("exercises.panel.refresh"), key=button_key(f"ex.refresh.{lab}"), on_click=ex.forget, args=(lab,),
                  icon=":material/sync:")


def _grids(q: Question) -> None:
    """A practice step-through question's own input and kernel (the page shows only the student's grid); the marked corner."""
    if q.id == "image.corner":
        n, (row, col) = q.figure["n"], q.figure["marked"]
        st.markdown(grid_table([["■" if (r, c) == (row, col) else "·" for c in range(n)] for r in range(n)]))
        return
    problem = q.figure.get("problem")
    if problem is None or not q.variant or q.id != "steps.next_value":
        return
    many = problem.x.shape[0] > 1
    tables = [(tr("exercises.panel.grid_channel", ch=CHANNELS[c]) if many else tr("exercises.panel.grid_input"), x)
              for c, x in enumerate(problem.x)]
    if problem.weight is not None:
        tables += [(tr("exercises.panel.grid_kernel_channel", ch=CHANNELS[c]) if many else tr("exercises.panel.grid_kernel"),
                    w) for c, w in enumerate(problem.weight)]
    for column, (name, grid) in zip(st.columns(len(tables)), tables, strict=True):
        column.markdown(f"**{name}**\n\n{grid_table(grid)}")


def grid_table(grid) -> str:
    """A 2-D array (or rows of marks) as a markdown table with 1-based row and column numbers (the question counts from 1)."""
    h, w = len(grid), len(grid[0])
    head = "| | " + " | ".join(str(c + 1) for c in range(w)) + " |\n|" + "---|" * (w + 1)
    cell = lambda v: v if isinstance(v, str) else fmt_number(v)  # noqa: E731  (marks stay as they are)
    rows = [f"| **{r + 1}** | " + " | ".join(cell(v) for v in grid[r]) + " |" for r in range(h)]
    return "\n".join([head, *rows])


def _answer(lab: str, q: Question) -> None:
    """The answer box (a radio for a choice) and Check, in a form: typing reruns nothing."""
    text_key, choice_key, _ = ex.answer_keys(lab)
    frozen = is_prediction(q) and exercise_pair.locked(q)  # the runs train this prediction
    with st.form(key=f"ex.form.{lab}", border=False, enter_to_submit=True):
        if isinstance(q.answer, Choice):
            labels = dict(zip(q.answer.options, [ex.text(m) for m in q.answer.labels()], strict=True))
            st.radio(tr("exercises.panel.choose"), q.answer.options, index=None, format_func=labels.__getitem__,
                     key=choice_key, horizontal=True, disabled=frozen)
        else:
            hint = ex.text(q.format)
            st.text_input(tr("exercises.panel.answer"), key=text_key, placeholder=hint, help=hint, max_chars=MAX_CHARS)
        st.form_submit_button(tr("exercises.panel.predict" if is_prediction(q) else "exercises.panel.check"),
                              key=button_key(f"ex.check.{lab}"), on_click=_check, args=(lab,), type="primary",
                              icon=":material/check:", disabled=frozen)


def _check(lab: str) -> None:
    """Check callback: the verdict on the answer to the question the student saw; no setting changes."""
    last = ex.shown(lab)
    if last is None:
        return
    q = last[1]
    text_key, choice_key, _ = ex.answer_keys(lab)
    text = st.session_state.get(choice_key if isinstance(q.answer, Choice) else text_key)
    ex.add(lab, q, check(q, text, ex.record().attempt(q)))


def _verdict(lab: str, q: Question) -> None:
    """Right: confirmation and working. Wrong: the hint (the working can be shown from the second). Unreadable: the format."""
    v = ex.verdict_for(lab, q)
    if v is None:
        return
    head = ex.text(v.headline)
    if v.status == RIGHT:
        st.success(head, icon=":material/check_circle:")
        _working(v.working)
    elif v.status == UNREADABLE:
        st.info(f"{head} {ex.text(v.hint)}", icon=":material/edit_note:")
    elif v.status == RECORDED:
        st.info(head, icon=":material/bookmark:")
    else:
        st.warning(f"{head} {ex.text(v.hint)}" if v.hint else head, icon=":material/lightbulb:")
        if v.working and st.toggle(tr("exercises.panel.show_working"), key=ex.answer_keys(lab)[2]):
            _working(v.working)


def _working(lines) -> None:
    """The worked solution, one line each."""
    if lines:
        st.markdown(f"**{tr('exercises.panel.working')}**")
        st.markdown("\n".join(f"1. {line}" for line in [ex.text(m) for m in lines]))


def _share(lab: str, q: Question, practice: bool) -> None:
    """For the teacher: a link that gives the class these settings and this question (not under a student lock)."""
    if room().restricted:
        return
    handed = replace(student_room(), exercise=q.id, exercise_seed=q.seed, exercise_practice=practice)
    with st.popover(tr("exercises.panel.share"), icon=":material/share:"):
        st.caption(tr("exercises.panel.share_intro", number=q.seed))
        if lab == "steps" and not practice:
            st.caption(tr("exercises.panel.share_steps"))
        st.code(share_link(student_query(get_spec(), handed)), language=None)

