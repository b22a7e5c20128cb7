"""Training lab: the settings, start / stop, and the live panel that polls the worker twice a second."""
from __future__ import annotations

import streamlit as st

from playground import memory
from playground.errors import SpecError
from playground.layers.shapes import validate
from playground.limits import LR_STEPS
from playground.training import datasets
from playground.training.ownset import OwnSetError
from playground.training.trainer import Trainer, training_net
from playground.ui import alt, bind, explain, messages
from playground.ui.runs import TrainLab
from playground.ui.state import (
    TRAIN_LIVE,
    TRAIN_LOST,
    TRAIN_MARK,
    TRAIN_START_ERROR,
    button_key,
    get_spec,
    note_once,
    read,
    set_spec,
    take_note,
    tr,
    write,
)
from playground.ui.training import advice, ownset_view
from playground.ui.training.figures import chance_loss, epoch_figure, epoch_loss_figure, loss_figure
from playground.ui.training.ownset_store import desk

POLL_S = 0.5  # the live panel redraws twice a second


def lr_slider() -> None:
    """Learning rate on a log scale (1 and 3 per decade); a value from a link joins the stops."""
    options = tuple(sorted(set(LR_STEPS) | {get_spec().train.lr}))
    bind.control("train.lr", st.select_slider, label=tr("train.lr"), options=options, format_func=lambda v: f"{v:g}",
                 help=tr("train.lr_help"))


def data_settings() -> None:
    """Data set, input size, colour, augmentation and validation share."""
    st.subheader(tr("train.data_title"))
    dataset = bind.choice("train.dataset", "train.dataset", "train.datasets", horizontal=True)
    ownset_view.on_dataset(dataset)  # choosing "Your pictures" applies the small-set defaults once
    bind.slider("train.size", "train.size", "train.size_help")
    if dataset in ("shapes", "yours"):
        bind.toggle("train.colour", "train.colour" if dataset == "shapes" else "own.colour")
    if bind.toggle("train.augment", "train.augment", "train.augment_help"):
        aug = get_spec().augment
        st.caption(tr("train.augment_now", h=round(100 * aug.p_hflip), v=round(100 * aug.p_vflip), a=aug.max_angle))
    bind.slider("train.val_fraction", "train.val_fraction", "train.val_fraction_help")


def optimizer_settings() -> None:
    """Optimizer, learning rate, batch size, epochs, weight decay and seed."""
    st.subheader(tr("train.optim_title"))
    explain.why("cross_entropy", "learning_rate")
    bind.choice("train.optimizer", "train.optimizer", "train.optimizers")
    lr_slider()
    left, right = st.columns(2)
    with left:
        bind.slider("train.batch", "train.batch")
        bind.slider("train.weight_decay", "train.weight_decay", "train.weight_decay_help", format="%.4f")
    with right:
        bind.slider("train.epochs", "train.epochs")
        bind.slider("train.seed", "train.seed", "train.seed_help")
    bind.toggle("view.train.stop_stuck", "polish.train.stop_stuck", "polish.train.stop_stuck_help")


def _use_default_stack() -> None:
    """Empty the stack, so the small ready stack is trained; bound widgets re-read the spec."""
    if not advice.fixed("net.layers"):
        set_spec(get_spec().set("net.layers", ()))


def model_summary() -> bool:
    """Which stack is trained, its shapes on this data, or the Layer lab's message; True when it can train."""
    spec = get_spec()
    st.subheader(tr("train.model_title"))
    try:
        data = datasets.load(spec.train, spec.norm.method, own=desk().own)
    except OwnSetError as exc:
        st.info(messages.error_text(exc))
        for missing in desk().own.missing()[:3]:  # what exactly is still short
            st.caption(messages.text(missing))
        return False
    c, h, w = data.shape
    net = training_net(spec.net)
    st.caption(tr("train.stack_own", n=len(net.layers)) if spec.net.layers else tr("train.stack_default"))
    try:
        rows = validate(net, (c, h, w), pictures=False)  # training draws no maps
    except SpecError as exc:
        st.error(messages.error_text(exc))
        st.caption(tr("train.stack_fix"))
        st.button(tr("train.use_default"), key=button_key("train.use_default"), on_click=_use_default_stack,
                  disabled=advice.fixed("net.layers"))
        return False
    oc, oh, ow = rows[-1].out_shape
    params = sum(r.params for r in rows) + oc * oh * ow * len(data.classes) + len(data.classes)
    chain = " → ".join([f"{c}×{h}×{w}"] + [f"{r.name} {r.out_shape[0]}×{r.out_shape[1]}×{r.out_shape[2]}" for r in rows])
    st.markdown(tr("train.chain", chain=chain, features=oc * oh * ow, classes=len(data.classes)))
    st.caption(tr("train.data_facts", train=len(data.train_labels), val=len(data.val_labels), params=f"{params:,}",
                  norm=tr("train.norm_none") if spec.norm.method == "none" else tr(f"image.methods.{spec.norm.method}")))
    return advice.estimate(net, data, spec.train)  # the time before Start; over the budget: the message, no Start


def _start(lab: TrainLab) -> None:
    """Start button callback (runs before the script, so a rerun cannot swallow the click)."""
    try:
        if desk().experiment is not None and desk().experiment.running:  # one training job per tab in flight
            raise SpecError("train.one_job")
        memory.check("train")  # past the server's memory ceiling: refused with a message, nothing started
        lab.start(get_spec(), own=desk().own, stop_when_stuck=read("view.train.stop_stuck"))
        st.session_state[TRAIN_MARK] = True  # the address names this server: a restart can be told apart
        st.session_state.pop(TRAIN_LOST, None)
        write("view.train.own_open", False)  # the pictures panel folds away: the live curve moves up
    except (SpecError, OwnSetError) as exc:
        note_once(TRAIN_START_ERROR, exc)


def _stop(lab: TrainLab) -> None:
    """Stop button callback: ask the worker to end and give it up to a second."""
    lab.stop()
    if lab.current is not None:
        lab.current.join(1.0)


def controls(lab: TrainLab, can_train: bool) -> None:
    """Start and Stop; a stack that cannot be built shows its message instead of starting."""
    start, stop, _ = st.columns([1, 1, 3])
    start.button(tr("train.start"), type="primary", disabled=lab.busy or not can_train, key=button_key("train.start"),
                 icon=":material/play_arrow:", width="stretch", on_click=_start, args=(lab,))
    stop.button(tr("train.stop"), disabled=not lab.busy, key=button_key("train.stop"), icon=":material/stop:",
                width="stretch", on_click=_stop, args=(lab,))
    if (error := take_note(TRAIN_START_ERROR)) is not None:
        st.error(messages.error_text(error))


def _names(n_classes: int) -> dict[str, str]:
    keys = ("raw", "smooth", "step", "loss", "epoch", "acc", "train_acc", "val_acc", "train_loss", "val_loss")
    chance = tr("polish.train.chance", n=n_classes, value=f"{chance_loss(n_classes):.2f}")
    return {k: tr(f"train.fig.{k}") for k in keys} | {"chance": chance}


def status(trainer: Trainer, h) -> None:
    """One line (or box) saying where the run stands."""
    epoch = min(len(h.epochs) + 1, trainer.spec.train.epochs)
    if trainer.error is not None:
        st.error(tr("train.failed", detail=type(trainer.error).__name__))
    elif h.state == "queued":
        st.info(tr("train.queued", place=max(1, h.queue_place), slots=trainer.queue.slots), icon=":material/hourglass_top:")
    elif h.state == "running":
        st.markdown(tr("train.running", epoch=epoch, epochs=trainer.spec.train.epochs))
    elif h.state == "diverged":
        advice.diverged(trainer, h)
    elif h.state == "stopped":
        st.warning(tr("train.stopped", steps=len(h.step_loss), total=h.total_steps), icon=":material/stop_circle:")
    else:
        acc = 100 * h.epochs[-1]["val_acc"] if h.epochs else 0.0
        st.success(tr("train.done", acc=f"{acc:.1f}", epochs=len(h.epochs), seconds=f"{h.seconds:.1f}"))


def progress(h) -> None:
    """Progress bar with steps done and time left."""
    left = h.seconds_left
    text = tr("train.progress", done=len(h.step_loss), total=h.total_steps,
              left=tr("train.left", s=f"{left:.0f}") if left is not None and h.state == "running" else "")
    st.progress(h.progress, text=text)


def curves(h, n_classes: int) -> None:
    """Loss per step (left) with the chance line ln(classes); accuracy and loss per epoch (right)."""
    names = _names(n_classes)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('train.loss_title')}**")
        log = advice.log_scale(h.step_loss)
        st.plotly_chart(loss_figure(h.step_loss, h.smooth_loss, names, log, n_classes), key="train.loss_chart",
                        width="stretch", alt=alt.chart(tr("train.loss_title"), alt.curve(names["loss"], h.step_loss)))
        advice.loss_note(h.step_loss)
        st.caption(tr("polish.train.chance_note", n=n_classes, value=f"{chance_loss(n_classes):.2f}"))
    with right:
        st.markdown(f"**{tr('train.acc_title')}**")
        if not h.epochs:
            st.caption(tr("train.first_epoch"))
            return
        per_epoch = bind.choice("view.train.per_epoch", "train.per_epoch", "train.fig", horizontal=True,
                                options=("acc", "loss"), label_visibility="collapsed")
        fig = epoch_figure(h.epochs, names) if per_epoch == "acc" else epoch_loss_figure(h.epochs, names, n_classes)
        shown = ("val_acc", "train_acc") if per_epoch == "acc" else ("val_loss", "train_loss")
        st.plotly_chart(fig, key="train.epoch_chart", width="stretch", alt=alt.chart(
            tr("train.acc_title"), *(alt.curve(names[k], [e[k] for e in h.epochs]) for k in shown)))


def live_panel(lab: TrainLab) -> None:
    """Status, progress and curves; polls every POLL_S while a run is active, then reruns the page once."""
    st.session_state[TRAIN_LIVE] = lab.busy
    paused = lab.busy and read("view.train.live_paused")

    @st.fragment(run_every=POLL_S if lab.busy and not paused else None)
    def panel():
        trainer = lab.current
        if trainer is None:
            if st.session_state.get(TRAIN_LOST):  # the address named a run that a server restart took with it
                st.warning(tr("polish.train.lost_run"), icon=":material/restart_alt:")
            else:
                st.info(tr("train.no_run"))
            return
        if trainer.running and not st.session_state.get(TRAIN_LIVE):
            st.rerun()  # a run started from a button in this panel ("Keep training"): the page takes its running form
        h = trainer.snapshot()
        status(trainer, h)
        if h.state != "queued":  # nothing to draw while waiting for a place
            progress(h)
            curves(h, len(trainer.data.classes))
        if st.session_state.get(TRAIN_LIVE) and not trainer.running:
            st.session_state[TRAIN_LIVE] = False
            st.rerun()  # the run ended: redraw the whole page with its results, and stop polling

    panel()
    if lab.busy:  # under the curves, so the switch never pushes them out of a projector's view
        bind.toggle("view.train.live_paused", "a11y.pause_live", "a11y.pause_live_help")
        if paused:
            st.caption(tr("a11y.live_paused"))
