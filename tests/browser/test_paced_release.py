"""A burst of slider releases sent without waiting paints the last value, the same as opening it directly.

Over the real websocket (testkit/stclient.py): the server merges releases that arrive while a run is going
(or while a hot tab waits for its turn, playground/pace.py) into one rerun with the newest values. The oracle
is a second tab that opens the final setting from its share link: the same pictures (media URLs name their
bytes) and the same captions, whose output shape carries the final channel count.
"""
from __future__ import annotations

from testkit.stclient import Tab
from testkit.threads import run_async

KEY = "w.net.layers.0.out_channels"
BURST = (5, 9, 3, 12, 6, 7)  # the last one must be painted


def test_after_a_burst_of_releases_the_last_value_is_painted(serve):
    url, _ = serve("app.py")

    async def scenario():
        hurried, direct = Tab(url), Tab(url)
        try:
            await hurried.open("layer_lab")
            final = await hurried.burst(KEY, BURST, lambda run: f": {BURST[-1]}×" in first_caption(run))
            link = hurried.query
            opened = await direct.open("layer_lab", link)
        finally:
            await hurried.close()
            await direct.close()
        return final, opened

    final, opened = run_async(scenario())
    assert not final.exceptions and not opened.exceptions
    assert f": {BURST[-1]}×" in first_caption(final)  # C×H×W: C is the last value
    assert layer_captions(final) == layer_captions(opened)
    assert final.media and set(final.media) <= set(opened.media)  # the very same pictures


def layer_captions(run) -> list[str]:
    return [c for c in run.captions if c.startswith("Layer ")]


def first_caption(run) -> str:
    """Layer 1's picture caption in a run ('' if the run drew none)."""
    return next((c for c in run.captions if c.startswith("Layer 1 ")), "")
