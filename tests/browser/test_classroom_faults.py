"""Faults in a classroom, against real servers: a tab closed mid-training, one student in two tabs,
a server restart (the share link restores the setup), an upload during a training, a very slow client.

The websocket cases drive sessions with testkit/stclient.py (the load tool's client); the upload and the slow
client use Chromium (CDP network throttling).
"""
from __future__ import annotations

import asyncio
import io
import os
import signal
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import start_training, wait_idle
from testkit.loadstats import pids_listening
from testkit.stclient import Tab
from testkit.threads import run_async
from testkit.wait import log_count, wait_for_log

RELEASED = "stopped 1 running worker(s)"


async def watch_to_end(tab: Tab, seconds: float) -> list[str]:
    """Follow a tab's run_every ticks until they stop; the alert texts of the last tick."""
    deadline, texts = time.monotonic() + seconds, []
    while tab.auto and time.monotonic() < deadline:
        fragment, interval = next(iter(tab.auto.items()))
        await asyncio.sleep(interval)
        run = await tab.tick(fragment)
        assert not run.exceptions, run.exceptions
        texts = run.texts() or texts
    return texts


def slider_value(tab: Tab, key: str) -> float:
    """The value a slider shows: its session value if the server set one, else its default."""
    proto = tab.widgets[key][0]
    if proto.id in tab.states:  # this tab moved it: the frontend keeps that value
        return tab.states[proto.id].double_array_value.data[0]
    return (list(proto.value) if proto.set_value else list(proto.default))[0]


async def link_with(url: str, **fields) -> str:
    """A share link (the address-bar query) made by a tab that set layer 1's fields in the Layer lab."""
    tab = Tab(url)
    await tab.open("layer_lab")
    for name, value in fields.items():
        await tab.set(f"w.net.layers.0.{name}", value)
    await tab.close()
    return tab.query


def test_tab_closed_mid_training_releases_its_worker_and_spares_the_other_run(app_url, request):
    url, log = app_url, Path(request.config._streamlit_log)
    before = log_count(log, RELEASED)

    async def scenario():
        leaver, stayer = Tab(url), Tab(url)
        await leaver.open("training", "train.epochs=50")
        await stayer.open("training", "train.epochs=2")
        await leaver.click("b.train.start")
        await stayer.click("b.train.start")
        await leaver.close()  # the tab goes away mid-training
        texts = await watch_to_end(stayer, 180)
        await stayer.close()
        return texts

    texts = run_async(scenario())
    assert any(x.startswith("Finished:") for x in texts), f"the other student's run did not finish: {texts}"
    wait_for_log(log, RELEASED, more_than=before)  # the closed tab's worker was stopped


def test_same_student_in_two_tabs_keeps_two_independent_setups(app_url):
    url = app_url

    async def scenario():
        first, second = Tab(url), Tab(url)
        link = await link_with(url, kernel=5)
        for tab in (first, second):
            await tab.open("layer_lab", link)
        await first.set("w.net.layers.0.kernel", 7)
        await first.open("training", None)
        await first.set("w.train.epochs", 1)
        await first.click("b.train.start")
        run = await second.open("layer_lab")
        other = await second.open("training")
        texts = await watch_to_end(first, 120)
        for tab in (first, second):
            await tab.close()
        return run, other, texts, (first.query, second.query)

    run, other, texts, links = run_async(scenario())
    assert '"kernel":7' in unquote(links[0]), links
    assert '"kernel":5' in unquote(links[1]), "the second tab must keep its own kernel"
    assert not run.exceptions and not other.exceptions
    assert t("train.no_run", "en") in other.texts(), "the second tab must not show the first tab's training"
    assert any(x.startswith("Finished:") for x in texts)


def test_server_restart_then_share_link_restores_the_setup(serve):
    url, _log = serve("app.py")

    link = run_async(link_with(url, kernel=5, stride=2))
    assert '"kernel":5' in unquote(link) and '"stride":2' in unquote(link), link
    for pid in pids_listening(urlparse(url).port):
        os.kill(pid, signal.SIGTERM)  # the server goes down with every session in it
    restarted, _ = serve("app.py")

    async def reopen():
        tab = Tab(restarted)
        run = await tab.open("layer_lab", link)
        await tab.close()
        return run, {k: slider_value(tab, f"w.net.layers.0.{k}") for k in ("kernel", "stride")}

    run, values = run_async(reopen())
    assert not run.exceptions
    assert values == {"kernel": 5, "stride": 2}


def _png(h: int, w: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.linspace(0, 255, h * w * 3).astype(np.uint8).reshape(h, w, 3)).save(buf, "PNG")
    return buf.getvalue()


def _nav(page, label: str) -> None:
    """Switch pages through the sidebar (same session), not with goto (a new session)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=label).click()
    wait_idle(page)


def test_upload_during_a_training_keeps_the_run(page, app_url):
    page.goto(app_url + "/training?train.epochs=12")  # long enough to still be training during the upload
    start_training(page)  # the run has started before the student leaves (a page switch could replace the click)
    _nav(page, t("labs.image_lab", "en"))
    page.locator("[data-testid='stMain'] label[data-testid='stRadioOption']").filter(
        has_text=t("image.sources.upload", "en")).click()
    wait_idle(page)
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "mine.png", "mimeType": "image/png", "buffer": _png(40, 60)}])
    expect(page.locator("[data-testid='stAlertContentSuccess']")).to_contain_text("(1, 3, 40, 60)", timeout=30_000)
    _nav(page, t("labs.training", "en"))
    expect(page.get_by_text("Finished:")).to_be_visible(timeout=120_000)  # the run went on during the upload
    wait_idle(page)


def _fast_student(url: str, out: dict) -> None:
    """A normal-speed student releasing sliders while the slow one loads (runs in its own thread)."""
    async def go():
        tab = Tab(url)
        await tab.open("layer_lab")
        for value in (5, 3, 7, 1, 3):
            run = await tab.set("w.net.layers.0.kernel", value)
            out.setdefault("exceptions", []).extend(run.exceptions)
            out["released"] = out.get("released", 0) + 1
        await tab.close()

    asyncio.run(go())


def test_very_slow_client_does_not_hold_up_the_others(page, app_url):
    page.goto(app_url)  # the app's scripts load at full speed; then the connection turns very bad
    wait_idle(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 1500,
                                                  "downloadThroughput": 2 * 1024, "uploadThroughput": 2 * 1024})
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=t("labs.layer_lab", "en")).click()
    out: dict = {}
    fast = threading.Thread(target=_fast_student, args=(app_url, out))
    fast.start()  # while the slow client's pictures trickle in at 2 KiB/s
    fast.join(300)
    assert not fast.is_alive(), f"the fast student is still waiting while the slow client loads: {out}"
    assert out.get("released") == 5 and not out["exceptions"], out
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0,
                                                  "downloadThroughput": -1, "uploadThroughput": -1})
    wait_idle(page)
    expect(page.locator("[data-testid='stMain'] [data-testid='stImage']").first).to_be_visible(timeout=120_000)
