"""The memory ceiling: the budget, the process's reading, and heavy work refused past it with a message."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from playground import memory, shared
from playground.errors import SpecError
from playground.i18n import tm
from testkit.apptest import open_app

GIB = 2 ** 30


@pytest.mark.parametrize(("text", "expected"), [("4G", 4 * GIB), ("3500M", 3500 * 2 ** 20), ("512MiB", 512 * 2 ** 20),
                                                 ("1.5g", int(1.5 * GIB)), ("123456", 123456), (" 2 GB ", 2 * GIB)])
def test_sizes_are_read_like_people_write_them(text, expected):
    assert memory.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "four gigs", "-1G", "4X"])
def test_a_bad_size_is_refused_by_name(text):
    with pytest.raises(ValueError, match=memory.ENV):
        memory.parse_size(text)


def test_the_budget_comes_from_the_environment_else_at_most_four_gib(monkeypatch):
    monkeypatch.setenv(memory.ENV, "3G")
    assert memory.budget_bytes() == 3 * GIB
    monkeypatch.delenv(memory.ENV)
    machine = memory.machine_bytes()
    assert memory.budget_bytes() == min(4 * GIB, int(machine * 0.75))


def test_the_reading_is_this_process_resident_memory():
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    vm_rss = int(fields["VmRSS"].split()[0]) * 1024  # the kernel's own figure, in kB
    assert abs(memory.rss_bytes() - vm_rss) < 64 * 2 ** 20
    block = np.ones(256 * 2 ** 20, np.uint8)  # touched: resident (mapped for itself, unmapped when freed)
    held = memory.rss_bytes()
    del block
    assert held - memory.rss_bytes() > 200 * 2 ** 20  # not against vm_rss: other threads may free memory meanwhile


def test_work_under_the_budget_passes_and_past_it_is_refused_with_the_figures(monkeypatch):
    monkeypatch.setenv(memory.ENV, "1G")
    monkeypatch.setattr(memory, "reading", lambda: 900 * 2 ** 20)
    memory.check("forward")  # 900 MB of 1024: fine
    memory.check("forward", need=100 * 2 ** 20)
    with pytest.raises(SpecError) as refused:
        memory.check("forward", need=200 * 2 ** 20)  # 1100 MB > 1024
    assert refused.value.key == "memory.full"
    assert {k: v for k, v in refused.value.params.items() if k != "work"} == {"used_mb": 900, "need_mb": 200,
                                                                               "budget_mb": 1024}
    english, chinese = tm(refused.value.message, "en"), tm(refused.value.message, "zh")
    assert "900 MiB of 1024 MiB" in english and "this run of the layers" in english and "Nothing is lost" in english
    assert "900 MiB" in chinese and "1024 MiB" in chinese and "逐层计算" in chinese


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_layer_lab_refuses_a_new_run_past_the_ceiling_and_keeps_what_was_shown(monkeypatch, lang):
    at = open_app("pages/layer_lab.py", lang=lang, timeout=120)
    assert not at.exception and not at.error
    pictures = [img.url for el in at.get("image") for img in el.proto.imgs]
    shared.SHARED.clear()  # the new stack must be computed here, not found in another test's shared results
    monkeypatch.setenv(memory.ENV, "2G")
    monkeypatch.setattr(memory, "reading", lambda: 2 * GIB + 1)  # the server is past its ceiling
    at.slider(key="w.net.layers.0.kernel").set_value(5).run()
    assert not at.exception
    said = [e.value for e in at.error]
    expected_start = tm(memory_refusal(), lang).split("（" if lang == "zh" else "(")[0]
    assert any(text.startswith(expected_start) for text in said), said
    assert at.session_state["spec"].net.layers[0].kernel == 5  # the setting is kept
    assert [img.url for el in at.get("image") for img in el.proto.imgs] == pictures  # the last pictures stay
    monkeypatch.setattr(memory, "reading", lambda: GIB)  # memory came back: the same settings now run
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["spec"].net.layers[0].kernel == 5


def memory_refusal():
    try:
        memory.check("forward")
    except SpecError as exc:
        return exc.message
    raise AssertionError("the fake reading should be past the ceiling")


def test_image_lab_refuses_a_new_picture_past_the_ceiling_and_shows_it_once_memory_is_back(monkeypatch):
    at = open_app(timeout=120)  # the Image lab is the default page
    assert not at.exception and not at.error
    shared.SHARED.clear()
    monkeypatch.setenv(memory.ENV, "2G")
    monkeypatch.setattr(memory, "reading", lambda: 2 * GIB + 1)
    at.slider(key="w.augment.angle").set_value(33).run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert any(text.startswith("The server is close to its memory limit") and "preparing this picture" in text
               for text in said), said
    assert at.session_state["spec"].augment.angle == 33  # the setting is kept
    monkeypatch.setattr(memory, "reading", lambda: GIB)
    at.run()
    assert not at.exception and not at.error
    charts = [el.key for el in at.get("plotly_chart")]
    assert "hist_before" in charts and "hist_after" in charts  # both histograms of the turned picture
