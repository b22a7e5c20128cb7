"""Trainer: learning, repeatability, stop, divergence, queue, results and downloads. Tiny runs only."""
import io
import json
import threading

import numpy as np
import pytest
import torch

from playground.spec import PipelineSpec
from playground.training import results as R
from playground.training.queue import TrainQueue, max_trainings
from playground.training.trainer import Trainer, epoch_problem, hint_for, step_problem
from testkit.wait import wait_until

SMALL = PipelineSpec().set("train.size", 8).set("train.batch", 32).set("train.epochs", 2)


def run(spec=SMALL, **kw) -> Trainer:
    trainer = Trainer(spec, queue=TrainQueue(2), **kw).start()
    assert trainer.join(60)
    assert trainer.error is None
    return trainer


def test_loss_falls_when_overfitting_a_few_samples():
    spec = SMALL.set("train.epochs", 25).set("train.batch", 16).set("train.lr", 0.01).set("train.val_fraction", 0.1)
    h = run(spec, max_train=16).snapshot()
    assert h.state == "done" and len(h.step_loss) == 25
    assert np.mean(h.step_loss[-5:]) < 0.2 * h.step_loss[0]
    assert h.epochs[-1]["train_acc"] == 1.0


def test_seeded_runs_repeat_exactly_and_another_seed_differs():
    a, b = run().snapshot(), run().snapshot()
    assert a.step_loss == b.step_loss and a.epochs[-1]["val_acc"] == b.epochs[-1]["val_acc"]
    assert np.array_equal(a.filters[-1], b.filters[-1])
    c = run(SMALL.set("train.seed", 1)).snapshot()
    assert c.step_loss != a.step_loss


def test_augmented_batches_are_seeded_too():
    spec = SMALL.set("train.augment", True).set("train.epochs", 1)
    a, b = run(spec).snapshot(), run(spec).snapshot()
    assert a.state == "done" and a.step_loss == b.step_loss
    assert a.step_loss != run(SMALL.set("train.epochs", 1)).snapshot().step_loss


def test_history_is_complete_after_a_run():
    h = run().snapshot()
    assert h.total_steps == len(h.step_loss) == len(h.smooth_loss) and h.progress == 1.0
    assert [e["epoch"] for e in h.epochs] == [1, 2] and len(h.filters) == 3  # start + one per epoch
    assert h.filters[0].shape == (16, 1, 3, 3) and h.seconds_left == 0


def test_stop_ends_the_run_at_the_step_in_progress_and_keeps_the_weights():
    spec = PipelineSpec().set("train.size", 16).set("train.epochs", 50)
    trainer = Trainer(spec, queue=TrainQueue(2)).start()
    wait_until(lambda: len(trainer.snapshot().step_loss) >= 5, 60, "five training steps")
    before = trainer.snapshot().filters[0]
    trainer.stop()
    asked = len(trainer.snapshot().step_loss)  # steps recorded once the stop was asked for
    assert trainer.join(60), "the run did not end after stop()"
    h = trainer.snapshot()
    assert h.state == "stopped" and asked <= len(h.step_loss) <= asked + 1 < h.total_steps  # at most the step under way
    learned = trainer.trained_model()[0].weight.detach().numpy()
    assert not np.allclose(learned, before)


def test_nan_loss_is_detected():
    trainer = Trainer(SMALL, queue=TrainQueue(1))
    with torch.no_grad():
        trainer.model[-1].weight.fill_(float("nan"))
    trainer.start().join(30)
    h = trainer.snapshot()
    assert h.state == "diverged" and h.problem.key == "train.diverge.nan" and h.hint.key == "train.hint.lower"
    assert len(h.step_loss) == 1


def test_exploding_loss_is_detected():
    h = run(SMALL.set("train.optimizer", "rmsprop").set("train.lr", 1.0)).snapshot()
    assert h.state == "diverged" and h.problem.key == "train.diverge.explode"
    assert h.hint.params == {"lr": "1", "new": "0.1"}


def test_accuracy_stuck_at_chance_is_detected():
    h = run(SMALL.set("train.optimizer", "sgd").set("train.lr", 1e-5).set("train.epochs", 5)).snapshot()
    assert h.state == "diverged" and h.problem.key == "train.diverge.stuck" and len(h.epochs) == 3
    assert h.hint.key == "train.hint.higher"


STUCK = SMALL.set("train.optimizer", "sgd").set("train.lr", 1e-5).set("train.epochs", 5)


def test_auto_stop_off_trains_every_epoch_of_a_run_stuck_at_chance():
    h = run(STUCK, stop_when_stuck=False).snapshot()
    assert h.state == "done" and h.problem is None and len(h.epochs) == 5
    assert len(h.step_loss) == h.total_steps


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])  # momentum: an optimizer with state to carry on
def test_a_stuck_run_continued_equals_the_run_that_never_stopped(optimizer):
    """Continuing restores weights, optimizer state and shuffling: the result is the uninterrupted run, exactly."""
    spec = STUCK.set("train.optimizer", optimizer)
    stuck = run(spec)
    assert stuck.snapshot().state == "diverged" and stuck.can_continue
    later = stuck.continued().start()
    assert later.join(60) and later.error is None
    whole = run(spec, stop_when_stuck=False)
    a, b = later.snapshot(), whole.snapshot()
    assert a.state == "done" and a.problem is None and [e["epoch"] for e in a.epochs] == [1, 2, 3, 4, 5]
    assert a.step_loss == b.step_loss and a.epochs[-1]["val_acc"] == b.epochs[-1]["val_acc"]
    for p, q in zip(later.trained_model().parameters(), whole.trained_model().parameters(), strict=True):
        assert torch.equal(p, q)
    assert not later.can_continue  # it trained its last epoch


def test_divergence_rules():
    assert step_problem(float("inf"), 1.0, 2.3).key == "train.diverge.nan"
    assert step_problem(12.0, 12.0, 2.3).key == "train.diverge.explode"
    assert step_problem(3.0, 3.0, 2.3) is None
    rows = [{"val_acc": 0.1}] * 2
    assert epoch_problem(rows, 10) is None and epoch_problem(rows + [{"val_acc": 0.12}], 10).key == "train.diverge.stuck"
    assert epoch_problem(rows + [{"val_acc": 0.5}], 10) is None
    assert hint_for(step_problem(float("nan"), 0, 1), 0.01).params["new"] == "0.001"


def test_a_small_run_started_behind_a_long_one_finishes_while_the_long_one_goes_on():
    queue = TrainQueue(1)
    spec = PipelineSpec().set("train.size", 8)
    long = Trainer(spec.set("train.epochs", 50), queue=queue).start()
    assert queue.wait_until(lambda: len(long.snapshot().step_loss) >= 3, timeout=120)
    small = Trainer(spec.set("train.epochs", 1), queue=queue).start()
    assert small.join(120) and small.snapshot().state == "done"
    h = long.snapshot()
    assert long.running and h.state == "running" and len(h.step_loss) < h.total_steps  # it yielded, it did not end
    long.stop()
    assert long.join(10) and long.snapshot().state == "stopped" and queue.active == 0 and queue.waiting == 0


def test_a_run_stopped_before_its_first_turn_ends_stopped_with_nothing_learned():
    queue = TrainQueue(1)
    spec = PipelineSpec().set("train.size", 8).set("train.epochs", 1)
    with queue.turn("someone else"):  # the only turn is taken
        waiting = Trainer(spec, queue=queue).start()
        assert queue.wait_until(lambda: waiting.snapshot().queue_place == 1, timeout=60)
        assert waiting.snapshot().state == "queued"
        waiting.stop()
        assert waiting.join(10)
    h = waiting.snapshot()
    assert h.state == "stopped" and not h.step_loss and queue.waiting == 0


def test_max_trainings_reads_the_environment(monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MAX_TRAININGS", "3")
    assert max_trainings() == 3
    monkeypatch.setenv("PLAYGROUND_MAX_TRAININGS", "zero")
    assert max_trainings() >= 1


def test_downloads_load_back():
    trainer = run()
    model = trainer.trained_model()
    state = torch.load(io.BytesIO(R.weights_bytes(model)), weights_only=True)
    assert state.keys() == model.state_dict().keys()
    fresh = Trainer(SMALL, queue=TrainQueue(1)).model
    fresh.load_state_dict(state)
    x = torch.from_numpy(trainer.data.to_input(trainer.data.val_pixels[:4]))
    assert torch.equal(fresh.eval()(x), model(x))
    assert PipelineSpec.from_json(R.settings_json(trainer.spec)) == trainer.spec
    rows = R.history_csv(trainer.snapshot()).splitlines()
    assert rows[0].startswith("step,epoch,loss") and len(rows) == 1 + trainer.snapshot().total_steps
    last = rows[-1].split(",")
    assert last[1] == "2" and float(last[7]) == pytest.approx(trainer.snapshot().epochs[-1]["val_acc"], abs=1e-5)


def test_confusion_samples_and_saliency():
    trainer = run()
    data, model = trainer.data, trainer.trained_model()
    probs = R.predict(model, data.to_input(data.val_pixels))
    pred = probs.argmax(1)
    cm = R.confusion(data.val_labels, pred, 10)
    assert cm.sum() == len(pred) and np.trace(cm) == (pred == data.val_labels).sum()
    grid = R.sample_grid(probs, data.val_labels, 12)
    assert len(grid) == 12 and len(set(grid)) == 12
    wrong = [i for i in grid if pred[i] != data.val_labels[i]]
    assert grid[: len(wrong)] == wrong  # mistakes come first
    right = [int(data.val_labels[i]) for i in grid[len(wrong):]]
    assert len(set(right[:5])) == min(5, len(right))  # right answers take turns by class
    x = data.to_input(data.val_pixels[:1])[0]
    cam, method = R.saliency(model, x, int(pred[0]))
    assert method in ("gradcam", "gradient")
    assert cam.shape == (8, 8) and 0 <= cam.min() and cam.max() <= 1.0 + 1e-6 and cam.max() > 0


def test_saliency_without_conv_uses_the_input_gradient():
    spec = SMALL.set("net.layers", [{"kind": "relu"}])
    trainer = Trainer(spec, queue=TrainQueue(1))
    x = trainer.data.to_input(trainer.data.val_pixels[:1])[0]
    cam, method = R.saliency(trainer.model, x, 3)
    assert cam.shape == (8, 8) and method == "gradient"


def test_run_labels_name_what_differed():
    a, b = SMALL, SMALL.set("train.lr", 0.1)
    c = b.set("train.optimizer", "sgd")
    labels = R.run_labels([a, b, c])
    assert labels[0] == [("optimizer", "adam"), ("lr", "0.003")] and labels[2] == [("optimizer", "sgd"), ("lr", "0.1")]
    assert R.run_labels([a, a]) == [[], []]
    assert json.loads(json.dumps(labels))


def test_warm_up_starts_one_background_import():

    from playground.training import trainer as T
    T.warm_up()
    T.warm_up()
    assert T._WARM.is_set()
    assert sum(t.name == "playground-warm-up" for t in threading.enumerate()) <= 1
