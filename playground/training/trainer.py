"""One training run in a worker thread that never touches the UI: history, stop, divergence checks.

The page owns a Trainer per session, starts it, polls snapshot() and calls stop(). All randomness is
local to the run (a torch.Generator for shuffling, a numpy Generator for augmentation, the model's
seeded construction), so the same spec gives the same curve no matter what other sessions do.
"""
from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

from playground.errors import Message
from playground.layers.kinds import of_module
from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.model import build_classifier
from playground.spec import NetSpec, PipelineSpec
from playground.training import budget, datasets
from playground.training.divergence import epoch_problem, hint_for, step_problem
from playground.training.loop import augment_batch, eval_chunk, evaluate, slices_for, train_step
from playground.training.queue import QUEUE, TrainQueue
from playground.training.worker import Worker

# Used when the spec's stack is empty: the stack every lab starts from (playground/layers/stacks.py), the one
# the Layer lab shows first, so the trained network is the same whichever page was opened first.
DEFAULT_TRAIN_STACK = READY_STACKS[DEFAULT_STACK]
ESTIMATE_AFTER = 10  # steps before a time-left estimate is shown
SMOOTHING = 0.9  # exponential moving average of the step loss (debiased)
# Threads per training: the queue runs up to one training per core, and on a busy 2-core server two
# OpenMP threads per run were 60× slower than one (threads spin while the other run holds the core).
# torch.set_num_threads sets the calling thread's count (and the default of threads started later).
TRAIN_THREADS = 1


_WARM = threading.Event()


def warm_up() -> None:
    """Once per process, in the background: build an optimizer, which imports torch._dynamo (7–12 s here).

    Without this the first training after a server start sits at step 0 for that long.
    """
    if not _WARM.is_set():
        _WARM.set()
        threading.Thread(target=lambda: torch.optim.Adam([torch.zeros(1, requires_grad=True)]),
                         name="playground-warm-up", daemon=True).start()


def training_net(net: NetSpec) -> NetSpec:
    """The stack that is trained: the spec's own, or the default small stack when it is empty."""
    return net if net.layers else replace(net, layers=DEFAULT_TRAIN_STACK)


def estimate(spec: PipelineSpec, data: datasets.Dataset | None = None) -> budget.TrainCost:
    """Estimated CPU time of training spec (on data, as Trainer takes it), for the page before Start."""
    data = data if data is not None else datasets.load(spec.train, spec.norm.method)
    return budget.train_estimate(training_net(spec.net), data, spec.train)


def device() -> torch.device:
    """A GPU when one is present, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class History:
    """Everything the page draws while and after a run; snapshot() hands out copies."""

    total_steps: int
    steps_per_epoch: int = 1
    state: str = "queued"
    queue_place: int = 0  # 1 = next in line; 0 = not waiting
    step_loss: list[float] = field(default_factory=list)
    smooth_loss: list[float] = field(default_factory=list)
    epochs: list[dict] = field(default_factory=list)  # epoch, train_loss, train_acc, val_loss, val_acc, seconds
    filters: list[np.ndarray] = field(default_factory=list)  # first conv's (out, in, k, k) weights: start, each epoch
    seconds: float = 0.0  # training time so far (queue time excluded)
    problem: Message | None = None  # why the run diverged
    hint: Message | None = None

    @property
    def progress(self) -> float:
        """Share of steps done, 0..1."""
        return min(1.0, len(self.step_loss) / max(1, self.total_steps))

    @property
    def seconds_left(self) -> float | None:
        """Estimated training time left; None for the first ESTIMATE_AFTER steps (the first one is slow)."""
        done = len(self.step_loss)
        return None if done < min(ESTIMATE_AFTER, self.total_steps) else self.seconds / done * (self.total_steps - done)


def make_optimizer(model: nn.Module, kind: str, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    """SGD, SGD with momentum 0.9, Adam or RMSprop."""
    params, wd = model.parameters(), weight_decay
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)


def first_conv(model: nn.Module) -> nn.Conv2d | None:
    """The model's first conv (a family with hand-designable k×k filters), whose weights the page shows as filters."""
    return next((m for m in model.modules() if (e := of_module(m)) is not None and e.family.hand_kernels), None)


class Trainer(Worker):
    """One run of one spec; build it (SpecError for impossible stacks), start(), poll snapshot(), stop()."""

    THREAD_NAME = "playground-trainer"

    def __init__(self, spec: PipelineSpec, queue: TrainQueue = QUEUE, max_train: int | None = None,
                 data: datasets.Dataset | None = None, stop_when_stuck: bool = True):
        """data: a data set made already, e.g. datasets.load(spec.train, spec.norm.method, own=the tab's set).

        stop_when_stuck: end the run when validation accuracy stays at chance (divergence.epoch_problem); when
        False the run goes on to its last epoch (a slow optimizer may leave chance after a few more epochs).
        NaN and exploding losses always end it."""
        self.spec, self.queue, self.net = spec, queue, training_net(spec.net)
        self.stop_when_stuck = stop_when_stuck
        self.data = data if data is not None else datasets.load(spec.train, spec.norm.method)
        if max_train is not None:  # a subset of the training split (tests, quick demos of overfitting)
            self.data = replace(self.data, train_pixels=self.data.train_pixels[:max_train],
                                train_labels=self.data.train_labels[:max_train])
        c, h, w = self.data.shape
        self.cost = budget.train_estimate(self.net, self.data, spec.train)  # SpecError before torch ...
        budget.check(self.cost, spec.train)  # ... and over the compute budget (playground/layers/cost.py)
        self.model = build_classifier(self.net, c, (h, w), len(self.data.classes))
        # a heavy batch is trained in parts of about loop.SLICE_S (at this server's measured rate), Stop between them
        self.slices = slices_for(self.model, self.cost.step_s * budget.RATES.factor(), spec.train.batch)
        self.device = device()
        n, b = len(self.data.train_labels), spec.train.batch
        per_epoch = self.batches_per_epoch(n, b)
        self._history = History(total_steps=spec.train.epochs * per_epoch, steps_per_epoch=per_epoch)
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._busy = 0.0  # seconds spent in turns: the run's own training time
        self._between = lambda: True  # the queue lease's between(), set when the run gets its first turn
        self.error: BaseException | None = None
        self._first_epoch = 1  # a continued run goes on from its source's next epoch
        self._opt_state: dict | None = None  # the optimizer's state when the run ended (for continued())
        self._rng_state: tuple | None = None  # the shuffling and augmentation generators' states, likewise

    def continued(self, stop_when_stuck: bool = False) -> Trainer:
        """A new run (not started) that goes on from where this ended run stopped: its weights, optimizer state,
        shuffling order, history and remaining epochs. Only an ended run that has epochs left can be continued."""
        h = self.snapshot()
        if not self.can_continue:
            raise ValueError("only a run that ended after a whole epoch, with epochs left, can be continued")
        nxt = copy.copy(self)  # same spec, data, cost, queue, slices, device
        nxt.stop_when_stuck, nxt.model = stop_when_stuck, copy.deepcopy(self.model)
        nxt._thread, nxt.error, nxt._lock, nxt._stop = None, None, threading.Lock(), threading.Event()
        nxt._between, nxt._first_epoch = (lambda: True), len(h.epochs) + 1
        nxt._history = replace(h, state="queued", queue_place=0, problem=None, hint=None)
        nxt._opt_state = copy.deepcopy(self._opt_state)
        return nxt

    @property
    def can_continue(self) -> bool:
        """True for an ended run that stopped right after an epoch (an auto-stop does) and has epochs left."""
        h = self.snapshot()
        whole = len(h.step_loss) == len(h.epochs) * h.steps_per_epoch
        return not self.running and self._opt_state is not None and whole and len(h.epochs) < self.spec.train.epochs

    @staticmethod
    def batches_per_epoch(n: int, batch: int) -> int:
        """Steps per epoch; a last batch of a single sample is dropped (BatchNorm needs two)."""
        return budget.batches_per_epoch(n, batch)

    @contextmanager
    def _turn(self) -> Iterator[bool]:
        """One turn (a step, a validation chunk): the slot is kept unless a run with less training time waits,
        then given up and waited for again (False: stopped meanwhile). Time in turns is training time."""
        got = self._between()
        start = time.perf_counter()
        try:
            yield got
        finally:
            if got:
                self._busy += time.perf_counter() - start

    def _waiting(self, place: int) -> None:
        """The queue's report while waiting: before the first turn the page shows the place in line."""
        if self._history.state == "queued":
            self._set(queue_place=place)

    def stop(self) -> None:
        """Ask the run to end after the current part of a step (or to leave the queue); what was learned is kept."""
        self._stop.set()

    def snapshot(self) -> History:
        """A copy of the history, safe to read while the worker writes."""
        with self._lock:
            h = self._history
            return replace(h, step_loss=list(h.step_loss), smooth_loss=list(h.smooth_loss),
                           epochs=[dict(e) for e in h.epochs], filters=list(h.filters))

    def _set(self, **changes) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(self._history, name, value)

    def _run(self) -> None:
        """Train (one queue turn per step), and always leave a final state."""
        try:
            torch.set_num_threads(TRAIN_THREADS)
            with self.queue.lease(self, self._stop, self._waiting) as between:
                if between is None:  # stopped while waiting for the first turn
                    state = "stopped"
                else:
                    self._set(state="running", queue_place=0)
                    self._between = between
                    state = self._train()
            self._set(state=state)
            if state != "stopped" or self._busy:
                self._measure()
        except BaseException as exc:  # a bug, not a student's mistake: keep it for the page to report
            self.error = exc
            self._set(state="stopped")
        finally:
            self.model.to("cpu")

    def _train(self) -> str:
        """The loop: epochs of shuffled batches; returns the final state."""
        spec, data, dev = self.spec.train, self.data, self.device
        model = self.model.to(dev)
        opt = make_optimizer(model, spec.optimizer, spec.lr, spec.weight_decay)
        gen, rng = torch.Generator().manual_seed(spec.seed), np.random.default_rng(spec.seed)
        if self._first_epoch > 1:  # continued: the optimizer and both generators go on where the source stopped
            opt.load_state_dict(self._opt_state)
            gen.set_state(self._rng_state[0])
            rng.bit_generator.state = self._rng_state[1]
        x_all = torch.from_numpy(data.to_input(data.train_pixels)).to(dev)  # (N, C, H, W)
        y_all = torch.from_numpy(data.train_labels.copy()).to(dev)
        x_val = torch.from_numpy(data.to_input(data.val_pixels)).to(dev)
        y_val = torch.from_numpy(data.val_labels.copy()).to(dev)
        if self._first_epoch == 1:
            self._snapshot_filters()
        loss_fn, per_epoch = nn.CrossEntropyLoss(), self.batches_per_epoch(len(y_all), spec.batch)
        try:
            return self._epochs(model, opt, gen, rng, (x_all, y_all, x_val, y_val), loss_fn, per_epoch)
        finally:
            self._opt_state, self._rng_state = opt.state_dict(), (gen.get_state(), rng.bit_generator.state)

    def _epochs(self, model, opt, gen, rng, tensors, loss_fn, per_epoch: int) -> str:
        """The epochs from self._first_epoch on; returns the final state."""
        spec, dev = self.spec.train, self.device
        x_all, y_all, x_val, y_val = tensors
        for epoch in range(self._first_epoch, spec.epochs + 1):
            order, sums = torch.randperm(len(y_all), generator=gen).to(dev), [0.0, 0, 0]
            for i in range(per_epoch):
                if self._stop.is_set():  # between batches: a step's cost is bounded by budget.STEP_BUDGET_S
                    return "stopped"
                idx, busy = order[i * spec.batch:(i + 1) * spec.batch], self._busy
                with self._turn() as got:  # one step per turn: a newer, smaller run goes between two steps
                    if not got:
                        return "stopped"
                    xb = self._augmented(idx, rng) if spec.augment else x_all[idx]
                    done = train_step(model, opt, loss_fn, xb, y_all[idx], self.slices, self._stop)
                if done is None:  # stopped between two parts of the batch: that step is not taken
                    return "stopped"
                value, right = done
                sums[0], sums[1], sums[2] = sums[0] + value * len(idx), sums[1] + right, sums[2] + len(idx)
                if self._record_step(value, self._busy - busy):
                    return "diverged"
            ended = self._end_epoch(epoch, sums, x_val, y_val, loss_fn)
            if self._stop.is_set():
                return "stopped"
            if ended:
                return "diverged"
        return "done"

    def _measure(self) -> None:
        """Tell budget.RATES how this run's measured time compares with its estimate for the steps done."""
        h, train = self.snapshot(), self.spec.train
        val_per_epoch = (self.cost.run_s - self.cost.steps * self.cost.step_s) / max(1, train.epochs)
        budget.RATES.record(h.seconds, len(h.step_loss) * self.cost.step_s + len(h.epochs) * val_per_epoch,
                            len(h.step_loss))

    def _augmented(self, idx: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
        """The batch with one random flip / rotation per image (the augment section's ranges)."""
        pics = augment_batch(self.data.train_pixels[idx.tolist()], self.spec.augment, rng)
        return torch.from_numpy(self.data.to_input(pics)).to(self.device)

    def _record_step(self, loss: float, seconds: float) -> bool:
        """Append the step's raw and smoothed loss; True when the run diverged."""
        with self._lock:
            h = self._history
            n = len(h.step_loss) + 1
            prev = h.smooth_loss[-1] * (1 - SMOOTHING ** (n - 1)) if h.smooth_loss else 0.0
            ema = SMOOTHING * prev + (1 - SMOOTHING) * (loss if math.isfinite(loss) else 0.0)
            h.step_loss.append(loss)
            h.smooth_loss.append(ema / (1 - SMOOTHING ** n))
            h.seconds += seconds
            first = h.step_loss[0] if math.isfinite(h.step_loss[0]) else 1.0
            problem = step_problem(loss, h.smooth_loss[-1], first) if n > 5 or not math.isfinite(loss) else None
        return self._diverged(problem)

    def _diverged(self, problem: Message | None) -> bool:
        """Store the problem and its hint; True when there is one."""
        if problem is None:
            return False
        self._set(problem=problem, hint=hint_for(problem, self.spec.train.lr))
        return True

    def _end_epoch(self, epoch: int, sums: list, x_val, y_val, loss_fn) -> bool:
        """Validation loss / accuracy and a filter snapshot; True when accuracy is stuck at chance."""
        busy = self._busy
        part = -(-self.spec.train.batch // self.slices)
        val = evaluate(self.model, x_val, y_val, loss_fn, eval_chunk(part), self._stop, self._turn)
        if val is None:  # stopped in the middle of the validation pass
            return False
        val_loss, val_acc = val
        row = {"epoch": epoch, "train_loss": sums[0] / max(1, sums[2]), "train_acc": sums[1] / max(1, sums[2]),
               "val_loss": val_loss, "val_acc": val_acc}
        with self._lock:
            self._history.seconds += self._busy - busy
            self._history.epochs.append({**row, "seconds": round(self._history.seconds, 3)})
            epochs, steps = [dict(e) for e in self._history.epochs], len(self._history.step_loss)
        self._snapshot_filters()
        if not math.isfinite(val_loss):
            return self._diverged(Message("train.diverge.nan", {}))
        if not self.stop_when_stuck:
            return False
        return self._diverged(epoch_problem(epochs, len(self.data.classes), steps))

    def _snapshot_filters(self) -> None:
        conv = first_conv(self.model)
        if conv is not None:
            weights = conv.weight.detach().to("cpu").numpy().copy()  # (out, in, k, k)
            with self._lock:
                self._history.filters.append(weights)

    def trained_model(self) -> nn.Module:
        """A CPU copy of the model as it is now, in eval mode, for results and downloads."""
        with self._lock:
            model = copy.deepcopy(self.model).to("cpu")
        return model.eval()
