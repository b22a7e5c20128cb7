"""Tests for playground/exercises/training.py: chance level against the real data, and the two runs really trained."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.exercises.registry import make
from playground.spec import PipelineSpec
from testkit.hypo import examples

SEEDS = st.integers(0, 9999)


@pytest.mark.parametrize("dataset", ["digits", "mnist", "shapes"])
def test_chance_level_equals_a_uniform_guesser_on_the_real_data(dataset):
    from sklearn.dummy import DummyClassifier

    from playground.training import datasets

    spec = PipelineSpec().set("train.dataset", dataset)
    data = datasets.load(spec.train)
    labels = np.concatenate([data.train_labels, data.val_labels])
    guesser = DummyClassifier(strategy="uniform").fit(np.zeros((len(labels), 1)), labels)
    q = make("training.chance", spec, 3)
    assert len(guesser.classes_) == len(data.classes)
    assert q.answer.value == pytest.approx(guesser.predict_proba(np.zeros((1, 1)))[0].max())
    assert not q.variant and q.figure["dataset"] == dataset


@settings(max_examples=examples(60), deadline=None)
@given(opt=st.sampled_from(("sgd", "momentum", "adam", "rmsprop")), lr=st.sampled_from((1e-4, 1e-3, 3e-3, 0.03, 0.3, 1.0)),
       seed=SEEDS)
def test_diverge_runs_differ_only_in_the_learning_rate(opt, lr, seed):
    spec = PipelineSpec().set("train.optimizer", opt).set("train.lr", lr)
    q = make("training.diverge", spec, seed)
    a, b = q.runs
    assert lr in (a.train.lr, b.train.lr) and a.train.lr != b.train.lr
    assert replace(a, train=replace(a.train, lr=0.1)) == replace(b, train=replace(b.train, lr=0.1))
    assert a.net == spec.net and a.train.optimizer == opt and a.train.dataset == spec.train.dataset
    assert spec.train.lr == lr, "the student's spec is untouched"


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_the_two_runs_really_train_and_settle_the_prediction(optimizer):
    """torch as the oracle for the prediction: train both runs; the far too large rate is the one that diverges."""
    from playground.exercises.checker import check
    from playground.exercises.training import run_diverged, settle_runs
    from playground.training.queue import TrainQueue
    from playground.training.trainer import Trainer

    q = make("training.diverge", PipelineSpec().set("train.optimizer", optimizer), 1)
    histories = []
    for run in q.runs:
        trainer = Trainer(run, queue=TrainQueue(1), max_train=600).start()  # a subset: same outcome, faster
        assert trainer.join(timeout=300)
        histories.append(trainer.snapshot())
    diverged = tuple(run_diverged(h) for h in histories)
    assert diverged.count(True) == 1 and q.figure["likely"] == ("a" if diverged[0] else "b")
    prediction = check(q, q.figure["likely"]).value
    assert settle_runs(q, prediction, diverged).right


def test_chance_level_on_the_tabs_own_pictures_uses_a_practice_data_set():
    """The own set's classes are not in the spec: the question says so and asks about digits or shapes."""
    q = make("training.chance", PipelineSpec().set("train.dataset", "yours"), 5)
    assert q.variant and q.note.key == "exercises.notes.chance_own" and q.figure["dataset"] in ("digits", "shapes")
