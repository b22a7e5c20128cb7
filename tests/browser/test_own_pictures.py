"""Browser: "Your pictures" end to end — a generated zip in, training, the accuracy read, the set exported back;
camera shots from Chromium's fake camera, one picture per press, then a shot tested on the trained model."""
from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import expect

from playground.training.zipset import read_zip
from testkit.browser import settle
from testkit.pictures import zip_set

FAKE_CAMERA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # as tests/browser/conftest.py
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
COUNTS = "[data-testid='stMarkdownContainer']"


def open_yours(page, url: str) -> None:
    page.goto(url + "/training")
    settle(page)
    page.get_by_text("Your pictures", exact=True).first.click()
    settle(page)
    expect(page.get_by_text(re.compile("^Settings for a small set are now on"))).to_be_visible()


def counts(page) -> str:
    """The panel's line of classes and counts ("✓ ball: 30 · …")."""
    return page.locator(COUNTS).filter(has_text=re.compile(r"^[✓✗] ")).first.inner_text()


def finish(page) -> float:
    """Press Start, wait for the run to end; the validation accuracy it reports, in percent."""
    page.get_by_role("button", name="Start training", exact=True).click()
    done = page.get_by_text(re.compile(r"^Finished: [\d.]+ % of the validation pictures"))
    expect(done).to_be_visible(timeout=180_000)
    settle(page)
    return float(re.search(r"Finished: ([\d.]+) %", done.inner_text()).group(1))


def test_a_zip_trains_and_the_set_exports_back(page, app_url, tmp_path):
    archive = tmp_path / "set.zip"
    archive.write_bytes(zip_set(30, seed=3))
    open_yours(page, app_url)
    page.locator("[class*='st-key-w-own-zip-'] input[type=file]").set_input_files(str(archive))
    settle(page)
    expect(page.get_by_text("Read the zip: 3 classes, 90 pictures.")).to_be_visible()
    assert counts(page) == "✓ ball: 30 · ✓ box: 30 · ✓ stick: 30"
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the set (zip)").click()
    download.value.save_as(tmp_path / "out.zip")
    own, problems = read_zip((tmp_path / "out.zip").read_bytes())
    assert own.names == ("ball", "box", "stick") and own.counts == (30, 30, 30) and not problems
    accuracy = finish(page)
    assert accuracy >= 60  # bench/bench_ownset.py: 86 % on average over 10 sets like this one
    page.get_by_role("tab", name="Confusion matrix").click()
    expect(page.locator(".js-plotly-plot text", has_text="stick").first).to_be_visible()


@pytest.fixture(scope="module")
def camera_browser(browser):
    """A second Chromium from the same Playwright, with a fake camera that needs no permission prompt."""
    cam = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=ARGS + FAKE_CAMERA)
    yield cam
    cam.close()


def shoot(page) -> None:
    """Press the live camera's Take Photo once, when it is ready again, and wait for the page to settle."""
    button = page.get_by_role("button", name="Take Photo")
    expect(button).to_be_enabled(timeout=30_000)
    button.click()
    settle(page)


def shot_counted(page, name: str, have: int, refusal: str, timeout_s: float = 60) -> int:
    """The class's count once the shot is either counted or refused with its message (the upload may lag the press)."""
    deadline = time.monotonic() + timeout_s
    while True:
        now = int(re.search(rf"{name}: (\d+)", counts(page)).group(1))
        refused = page.get_by_text(refusal).count() > 0  # the fake camera repeats frames: the same picture is refused
        if now != have or refused:
            return now
        assert time.monotonic() < deadline, f"shot neither counted nor refused: {counts(page)}"
        page.wait_for_timeout(250)


def test_each_camera_press_adds_one_shot_and_a_shot_is_tested(camera_browser, app_url):
    context = camera_browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US", permissions=["camera"])
    page = context.new_page()
    try:
        open_yours(page, app_url)
        page.get_by_text("Use the camera").click()
        settle(page)
        shots = 0
        for name in ("A", "B"):
            page.locator("[class*='st-key-w-own-class'] label").filter(has_text=re.compile(rf"^{name} \(")).click()
            settle(page)
            have = 0
            while have < 5 and shots < 60:  # Chromium's fake camera repeats frames under load: refused as duplicates
                shoot(page)
                shots += 1
                now = shot_counted(page, name, have, f"“📷 {shots}”: this picture is already in the set")
                assert now - have in (0, 1), "one press added more than one picture"
                have = now
        page.wait_for_timeout(1500)  # reruns after the last shot must not add it again
        settle(page)  # read the counts line of the settled page, not one a rerun is replacing
        expect(page.locator(COUNTS).filter(has_text=re.compile(r"^[✓✗] ")).first).to_have_text("✓ A: 5 · ✓ B: 5",
                                                                                              timeout=15_000)
        finish(page)
        page.get_by_role("tab", name="Your image").click()
        page.get_by_text("New camera shot").click()
        settle(page)
        shoot(page)
        verdict = page.get_by_text(re.compile(r"^(The model says|The model is unsure|This picture is nothing like)"))
        expect(verdict.first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(r"^What the network receives \(32×32\)"))).to_be_visible()
    finally:
        context.close()
