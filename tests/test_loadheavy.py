"""The load tool's heavy tab really sits at the top of the compute budget on the picture it uses."""
from playground.image.decode import to_working
from playground.image.samples import load_sample
from playground.layers import cost
from playground.layers.shapes import validate
from testkit.loadheavy import CHANNELS, HEAVY, heavy_query


def _rows(spec):
    working, _ = to_working(load_sample(spec.image.sample), spec.image.long_side, spec.image.grayscale)
    h, w, c = working.shape
    return validate(spec.net, (c, h, w))  # SpecError if the budget refused it


def test_the_heavy_stack_is_accepted_and_near_the_budget():
    seconds = cost.release_seconds(_rows(HEAVY))
    assert 0.9 * cost.FORWARD_BUDGET_S <= seconds <= cost.FORWARD_BUDGET_S


def test_the_hammered_slider_keeps_it_heavy_and_the_link_carries_it():
    key, values = CHANNELS
    layers = HEAVY.net.layers
    lighter = HEAVY.set("net.layers", (layers[0].__class__(**{**vars(layers[0]), "out_channels": min(values)}),)
                        + layers[1:])
    assert key == "w.net.layers.0.out_channels"
    assert cost.release_seconds(_rows(lighter)) >= 0.8 * cost.FORWARD_BUDGET_S
    assert "net.layers=" in heavy_query() and "image.long_side=224" in heavy_query()
