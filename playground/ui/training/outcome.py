"""Training lab results: confusion matrix, samples, filters over epochs, your image, compare runs, downloads."""
from __future__ import annotations

import html

import numpy as np
import streamlit as st

from playground.training import results as R
from playground.training.trainer import Trainer
from playground.ui import alt, bind, messages
from playground.ui.board import publish
from playground.ui.runs import TrainLab
from playground.ui.state import button_key, get_spec, read, tr, write
from playground.ui.training import predict_view
from playground.ui.training.figures import compare_figure, confusion_figure, filter_tiles, pixelated
from playground.ui.training.ownset_store import desk

SAMPLES_SHOWN = 24
MISTAKE_RED = (214, 39, 40)


def class_names(trainer: Trainer) -> list[str]:
    """Digits and the student's own class names as they are (text: escape for markdown); shapes translated."""
    if trainer.spec.train.dataset in ("digits", "mnist", "yours"):
        return list(trainer.data.classes)
    return [tr(f"train.shapes.{c}") for c in trainer.data.classes]


def confusion_tab(trainer: Trainer, probs: np.ndarray) -> None:
    """The confusion matrix of the validation split."""
    data, names = trainer.data, [html.escape(n, quote=False) for n in class_names(trainer)]  # plotly reads entities
    cm = R.confusion(data.val_labels, probs.argmax(1), len(names))
    st.caption(tr("train.cm_help", right=int(np.trace(cm)), total=int(cm.sum())))
    labels = {"pred": tr("train.cm_pred"), "true": tr("train.cm_true"),
              "hover": tr("train.cm_hover", true="%{y}", pred="%{x}", n="%{z}")}
    st.plotly_chart(confusion_figure(cm, names, labels), key="train.cm", width="content",
                    alt=tr("a11y.confusion", n=len(names), right=int(np.trace(cm)), total=int(cm.sum())))


def samples_tab(trainer: Trainer, probs: np.ndarray) -> None:
    """A grid of validation pictures with the predicted class and probability; mistakes first, marked ✗."""
    data, names = trainer.data, [messages.plain(n) for n in class_names(trainer)]  # captions are markdown
    picks = R.sample_grid(probs, data.val_labels, SAMPLES_SHOWN)
    st.caption(tr("train.samples_help"))
    cols = st.columns(8)
    for n, i in enumerate(picks):
        pred, true = int(probs[i].argmax()), int(data.val_labels[i])
        p = f"{100 * probs[i, pred]:.0f}"
        caption = (tr("train.sample_right", pred=names[pred], p=p) if pred == true
                   else tr("train.sample_wrong", pred=names[pred], p=p, true=names[true]))
        frame = None if pred == true else MISTAKE_RED
        cols[n % 8].image(pixelated(np.asarray(data.val_pixels[i]), frame=frame), caption=caption, width="stretch",
                          alt=caption)


def filters_tab(trainer: Trainer, h) -> None:
    """The first conv layer's filters at a chosen epoch (0 = before training)."""
    if not h.filters:
        st.info(tr("train.no_conv"))
        return
    last = len(h.filters) - 1
    epoch = 0
    if last:
        if not 0 <= read("view.train.filter_epoch") <= last:
            write("view.train.filter_epoch", last)
        epoch = bind.control("view.train.filter_epoch", st.slider, label=tr("train.filter_epoch"), min_value=0,
                             max_value=last)
    st.image(filter_tiles(h.filters[epoch]), caption=tr("train.filters_caption", epoch=epoch,
             n=h.filters[epoch].shape[0]), width="content",
             alt=tr("a11y.filters", epoch=epoch, count=h.filters[epoch].shape[0]))
    st.caption(tr("train.filters_help"))


def compare_tab(lab: TrainLab) -> None:
    """Validation accuracy of the kept runs, overlaid, each labelled with what differed."""
    runs = [r for r in lab.runs if r.snapshot().epochs]
    if len(runs) < 2:
        st.info(tr("train.compare_one"))
        if not runs:
            return
    labels = R.run_labels([r.spec for r in runs])
    named = []
    for i, (run, diff) in enumerate(zip(runs, labels, strict=False), start=1):
        text = ", ".join(f"{tr(f'train.short.{k}')} {v}".strip() for k, v in diff) or tr("train.same_settings")
        named.append((tr("train.run_label", i=i, diff=text), run.snapshot().epochs))
    names = {"epoch": tr("train.fig.epoch"), "acc": tr("train.fig.val_acc")}
    st.plotly_chart(compare_figure(named, names), key="train.compare", width="stretch", alt=alt.chart(
        names["acc"], *(alt.curve(label, [e["val_acc"] for e in epochs]) for label, epochs in named)))


def downloads_tab(trainer: Trainer, model, h) -> None:
    """History CSV, weights (state_dict) and settings JSON."""
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("train.dl_csv"), R.history_csv(h), "training_history.csv", "text/csv",
                       key=button_key("train.dl_csv"), icon=":material/table:")
    c2.download_button(tr("train.dl_weights"), R.weights_bytes(model), "weights.pt", "application/octet-stream",
                       key=button_key("train.dl_weights"), icon=":material/download:")
    c3.download_button(tr("train.dl_json"), R.settings_json(trainer.spec), "settings.json", "application/json",
                       key=button_key("train.dl_json"), icon=":material/settings:")
    st.caption(tr("train.dl_help"))
    st.code("import torch\nstate = torch.load('weights.pt', weights_only=True)\nmodel.load_state_dict(state)",
            language="python")


def results(lab: TrainLab) -> None:
    """Everything about the newest ended run (nothing while it runs or before its first step)."""
    trainer = lab.current
    if trainer is None or trainer.running:
        return
    h = trainer.snapshot()
    if not h.step_loss:
        return
    model = lab.model(trainer)
    probs = lab.val_probs(trainer)  # once per run: a rerun after the run ends predicts nothing again
    st.header(tr("train.results_title"))
    if trainer.spec != get_spec():  # stale by value: the settings moved on since this run
        st.caption(tr("train.stale"))
    elif lab.own_changed(trainer, desk().own):
        st.caption(tr("own.stale_set"))
    publish.offer(trainer)  # "Publish to the class board" when the tab is in a class
    names = ("tab_cm", "tab_samples", "tab_filters", "tab_image", "tab_compare", "tab_downloads")
    tabs = st.tabs([tr(f"train.{n}") for n in names])
    with tabs[0]:
        confusion_tab(trainer, probs)
    with tabs[1]:
        samples_tab(trainer, probs)
    with tabs[2]:
        filters_tab(trainer, h)
    with tabs[3]:
        predict_view.image_tab(trainer, model, class_names(trainer))
    with tabs[4]:
        compare_tab(lab)
    with tabs[5]:
        downloads_tab(trainer, model, h)
