"""Train the shipped digit network again from its fixed seed and write its weights into the package.

    PYTHONPATH=. python scripts/train_digit_net.py          # trains, prints accuracy, writes digit_net.pt
    PYTHONPATH=. python scripts/train_digit_net.py --check  # trains, compares with the shipped file only

The stack, data and settings are playground/training/digit_net.py's; training is the Training lab's own
Trainer (one CPU thread, seeded), so the same torch version gives the same weights.
"""
from __future__ import annotations

import argparse
import io
import time

import torch

from playground.training import digit_net


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; compare with the shipped weights")
    args = parser.parse_args()
    t0 = time.perf_counter()
    trainer = digit_net.train()
    model = trainer.trained_model()
    seconds = time.perf_counter() - t0
    history = trainer.snapshot()
    last = history.epochs[-1]
    acc = digit_net.accuracy(model)
    params = sum(p.numel() for p in model.parameters())
    print(f"stack: {len(digit_net.STACK)} layers, {params} parameters; {len(history.epochs)} epochs, "
          f"{len(history.step_loss)} steps in {seconds:.1f} s")
    print(f"validation accuracy (trainer, last epoch): {100 * last['val_acc']:.2f} %")
    print(f"held-out accuracy ({len(digit_net.data().val_labels)} MNIST digits): {100 * acc:.2f} %")
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    if args.check:
        shipped = torch.load(digit_net.WEIGHTS, map_location="cpu", weights_only=True)
        same = all(torch.equal(shipped[k], v) for k, v in model.state_dict().items())
        print(f"identical to {digit_net.WEIGHTS.name}: {same}")
    else:
        digit_net.WEIGHTS.write_bytes(buf.getvalue())
        print(f"wrote {digit_net.WEIGHTS} ({len(buf.getvalue()) / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
