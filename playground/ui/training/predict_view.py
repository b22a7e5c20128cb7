"""Training lab, "Your image": a new picture prepared like the data set, the model's answer, and where it looked.

The picture is the Image lab's or a new camera shot. It is prepared as the training pictures were
(playground/training/prepare.py) and the student sees each step and the exact picture the network receives.
Before a class is stated, familiar.py checks that the picture is anything like the training pictures; the
three attribution views (Captum) are shown side by side, each with one line of what it shows.
"""
from __future__ import annotations

import hashlib
import html

import cv2
import numpy as np
import streamlit as st

from playground.training import familiar, prepare
from playground.training import results as R
from playground.training.attribution import METHODS
from playground.ui import alt, bind, images, messages
from playground.ui.state import cached, get_spec, tr, widget_key
from playground.ui.training.figures import overlay, pixelated, probability_figure
from playground.ui.training.ownset_store import desk, on_predict_shot

STEP_SIDE = 112  # each preparation step is shown about this big


def familiarity(trainer, model) -> familiar.Familiarity:
    """The run's familiarity limits, from its validation pictures prepared like a new one (once per run)."""
    def compute():
        data = trainer.data
        cal = prepare.calibration_pictures(data, trainer.spec.train.dataset)
        return familiar.fit(data, cal, R.predict(model, data.to_input(cal)))
    return cached("train.familiar", (id(trainer), trainer.spec), compute)


def picture_to_test():
    """The Image lab's picture or the last camera shot, (H, W, C) uint8; None (and a note) when there is none."""
    source = bind.choice("view.train.predict_from", "own.predict.source", "own.predict", horizontal=True,
                         options=("image_lab", "camera"))
    if source == "camera":
        st.camera_input(tr("own.predict.camera_label"), key=widget_key("own.predict_shot"), on_change=on_predict_shot)
        if desk().shot is None:
            st.info(tr("own.predict.no_shot"))
        return desk().shot
    working, _ = images.working_image(get_spec().image)
    if working is None:
        st.info(tr("train.no_image"))
    return working


def _step_picture(img: np.ndarray) -> np.ndarray:
    """A step's picture at about STEP_SIDE: small ones enlarged by whole pixels, large ones shrunk."""
    img = img if img.ndim == 3 else img[..., None]
    if img.shape[0] >= STEP_SIDE:
        s = STEP_SIDE / max(img.shape[:2])
        small = cv2.resize(img, (max(1, round(img.shape[1] * s)), max(1, round(img.shape[0] * s))),
                           interpolation=cv2.INTER_AREA)
        img = small.reshape(small.shape[0], small.shape[1], -1)
    return pixelated(img, STEP_SIDE)


def steps_row(prep: prepare.Prepared) -> None:
    """Each preparation step, then (twice as wide) the picture the network receives, enlarged by whole pixels."""
    side = prep.pixels.shape[0]
    if prep.steps:
        st.caption(tr("own.predict.steps"))
    cols = st.columns([1] * len(prep.steps) + [2])
    for col, (key, img) in zip(cols, prep.steps, strict=False):
        col.image(_step_picture(img), caption=tr(key), width="stretch", alt=alt.photo(img, tr(key)))
    received = tr("own.predict.received", side=side)
    cols[-1].image(pixelated(prep.pixels, 224), caption=received, width="stretch", alt=alt.photo(prep.pixels, received))
    if prep.note is not None:
        st.caption(messages.text(prep.note))


def verdict_text(verdict: familiar.Verdict, names: list[str], top: int) -> None:
    """Say what the model answers, or plainly that the picture is unlike the training pictures."""
    cls, p = messages.plain(names[top]), f"{100 * verdict.confidence:.0f}"
    if verdict.kind == "unlike":
        st.warning(tr("own.predict.unlike", cls=cls, p=p, d=f"{verdict.distance:.2f}",
                      limit=f"{verdict.distance_limit:.2f}", classes=", ".join(messages.plain(n) for n in names)),
                   icon=":material/help:")
    elif verdict.kind == "unsure":
        st.info(tr("own.predict.unsure", cls=cls, p=p, limit=f"{100 * verdict.confidence_limit:.0f}"))
    else:
        st.markdown(tr("own.predict.like", cls=cls, p=p))


def attribution_row(model, x: np.ndarray, pixels: np.ndarray, top: int, name: str, key: tuple) -> None:
    """Grad-CAM, Integrated Gradients and Occlusion for the top class, side by side, each with its line."""
    maps = cached("train.attr", key, lambda: [R.saliency(model, x, top, m) for m in METHODS])
    st.markdown(f"**{tr('own.predict.views', cls=messages.plain(name))}**")
    for col, (cam, used) in zip(st.columns(len(maps)), maps, strict=True):
        title = tr(f"ownset.attr.{used}")
        col.image(overlay(pixels, cam), caption=title, width="stretch", alt=alt.heatmap(title, cam))
        col.caption(tr(f"own.attr.{used}_line"))


def image_tab(trainer, model, names: list[str]) -> None:
    """The whole tab: picture, preparation, answer (or why there is none to trust), three attribution views."""
    picture = picture_to_test()
    if picture is None:
        return
    data = trainer.data
    prep = prepare.for_dataset(picture, data, trainer.spec.train.dataset)
    x = data.to_input(prep.pixels[None])[0]  # (C, H, W) float32
    digest = hashlib.blake2b(prep.pixels.tobytes(), digest_size=12).hexdigest()
    probs = cached("train.image_probs", (id(trainer), trainer.spec, digest), lambda: R.predict(model, x[None])[0])
    top = int(probs.argmax())
    verdict = familiar.judge(familiarity(trainer, model), prep.pixels, probs)
    left, right = st.columns([3, 2], gap="large")
    with left:
        steps_row(prep)
    with right:
        verdict_text(verdict, names, top)
        if verdict.kind != "unlike":  # a confident bar for a picture of another kind would teach the wrong thing
            plot_names = [html.escape(n, quote=False) for n in names]  # plotly reads a few HTML entities
            st.plotly_chart(probability_figure(plot_names, probs, tr("train.probability")), key="train.probs",
                            width="stretch", alt=alt.bars(tr("train.probability"), names, probs))
        st.caption(tr("own.predict.help"))
    attribution_row(model, x, prep.pixels, top, names[top], (id(trainer), trainer.spec, digest))
