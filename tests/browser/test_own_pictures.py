"""Browser: "Your pictures" end to end — a generated zip in, training, the accuracy read, the set exported back;
camera shots from Chromium's fake camera, one picture per press, then a shot tested on the trained model."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playground.i18n import t
from playground.training.zipset import read_zip
from testkit.browser import chromium_path, wait_idle
from testkit.pictures import FRAME_NUMBER_JS, camera_video, zip_set

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

FAKE_CAMERA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]  # plus the clip it plays
CLIP_FPS = 25  # 600 frames: 24 s, far longer than any stream plays before its shot
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
COUNTS = "[data-testid='stMarkdownContainer']"


def open_yours(page, url: str) -> None:
    page.goto(url + "/training")
    wait_idle(page)
    page.get_by_text("Your pictures", exact=True).first.click()
    wait_idle(page)
    expect(page.get_by_text(re.compile("^Settings for a small set are now on"))).to_be_visible()


def counts(page) -> str:
    """The panel's line of classes and counts ("✓ ball: 30 · …")."""
    return page.locator(COUNTS).filter(has_text=re.compile(r"^[✓✗] ")).first.inner_text()


def finish(page) -> float:
    """Press Start, wait for the run to end; the validation accuracy it reports, in percent."""
    page.get_by_role("button", name="Start training", exact=True).click()
    done = page.get_by_text(re.compile(r"^Finished: [\d.]+ % of the validation pictures"))
    expect(done).to_be_visible(timeout=180_000)
    wait_idle(page)
    return float(re.search(r"Finished: ([\d.]+) %", done.inner_text()).group(1))


def test_a_zip_trains_and_the_set_exports_back(page, app_url, tmp_path):
    archive = tmp_path / "set.zip"
    archive.write_bytes(zip_set(30, seed=3))
    open_yours(page, app_url)
    page.locator("[class*='st-key-w-own-zip-'] input[type=file]").set_input_files(str(archive))
    wait_idle(page)
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
def camera_browser(browser, tmp_path_factory):
    """A second Chromium from the same Playwright, with a fake camera that needs no permission prompt.

    The camera plays a generated clip of distinct frames (Chromium's own test pattern can repeat a picture), and
    a repeated picture is refused as a duplicate, so a press would add nothing by chance.
    """
    clip = tmp_path_factory.mktemp("camera") / "frames.y4m"
    camera_video(clip, fps=CLIP_FPS)
    cam = browser.browser_type.launch(executable_path=chromium_path(), headless=True,
                                      args=ARGS + FAKE_CAMERA + [f"--use-file-for-fake-video-capture={clip}"])
    yield cam
    cam.close()


# (taken) => when the live camera shows a frame whose number is not in `taken`: the video paused on that frame (Take
# Photo draws the frame the video shows) and {frame: its number} (frame 0 is falsy: wait_for_function would go on);
# else false, the video plays on and the next poll looks again.
PAUSED_ON_NEW = f"""(taken) => {{
  const video = document.querySelector('video');
  if (!video || video.readyState < 2 || !video.videoWidth) return false;
  const number = {FRAME_NUMBER_JS};
  if (taken.includes(number(video))) {{  // a taken frame: play on (a video left paused would show it forever)
    if (video.paused) video.play().catch(() => {{}});
    return false;
  }}
  video.pause();
  const n = number(video);
  if (!taken.includes(n)) return {{ frame: n }};
  video.play().catch(() => {{}});
  return false;
}}"""


def shoot(page, frames: list[int]) -> None:
    """Press the live camera's Take Photo once, when it is ready again, and wait for the page to stay idle.

    Every shot opens a new camera stream, and Chromium plays the clip from its first frame on each: the shot waits
    until its stream shows a frame that no earlier shot took (`frames`), holds the video on it, and presses, so no
    two shots take the same frame of the clip.
    """
    button = page.get_by_role("button", name="Take Photo")
    expect(button).to_be_enabled(timeout=30_000)
    frames.append(page.wait_for_function(PAUSED_ON_NEW, arg=frames, timeout=60_000,
                                         polling=50).json_value()["frame"])
    button.click()
    wait_idle(page)


def counts_line(page):
    """The panel's line of classes and counts, as an auto-waiting locator."""
    return page.locator(COUNTS).filter(has_text=re.compile(r"^[✓✗] ")).first


def press_until(page, frames: list[int], taken, not_taken, what: str, presses: int = 3) -> None:
    """Press Take Photo (shoot) until `taken()` passes. A press that lands while the camera widget is being redrawn
    can be lost: then `not_taken()` must pass (nothing was taken), and it is pressed again, at most `presses` times.
    Both are checks that raise AssertionError (Playwright's expect does)."""
    for _ in range(presses):
        shoot(page, frames)
        try:
            taken()
            return
        except AssertionError:
            not_taken()
    raise AssertionError(f"{presses} presses of Take Photo {what}")


def add_one_shot(page, frames: list[int], name: str, want: int) -> None:
    """Press until the class holds `want` pictures: never two pictures from one press, never a repeated frame.

    The clip's frames all differ, so a refusal as "already in the set" is a failure.
    """
    def nothing_added():
        assert page.get_by_text("already in the set").count() == 0, "two camera shots were the same picture"
        expect(counts_line(page)).to_contain_text(f"{name}: {want - 1} ")  # not two pictures from one press

    press_until(page, frames,
                lambda: expect(counts_line(page)).to_contain_text(re.compile(rf"{name}: {want}\b"), timeout=20_000),
                nothing_added, f"added no picture to class {name} (it still holds {want - 1})")
    assert page.get_by_text("already in the set").count() == 0, "two camera shots were the same picture"


def test_each_camera_press_adds_one_shot_and_a_shot_is_tested(camera_browser, app_url):
    context = camera_browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US", permissions=["camera"])
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        frames = []  # the clip frame each shot took
        open_yours(page, app_url)
        page.get_by_text("Use the camera").click()
        wait_idle(page)
        for name in ("A", "B"):
            page.locator("[class*='st-key-w-own-class'] label").filter(has_text=re.compile(rf"^{name} \(")).click()
            wait_idle(page)
            for have in range(1, 6):
                add_one_shot(page, frames, name, have)
        wait_idle(page)  # the reruns after the last shot must not add it again
        expect(counts_line(page)).to_have_text("✓ A: 5 · ✓ B: 5")
        finish(page)
        page.get_by_role("tab", name="Your image").click()
        page.get_by_text("New camera shot").click()
        wait_idle(page)
        verdict = page.get_by_text(re.compile(r"^(The model says|The model is unsure|This picture is nothing like)"))
        press_until(page, frames, lambda: expect(verdict.first).to_be_visible(timeout=30_000),
                    lambda: expect(page.get_by_text(t("own.predict.no_shot", "en"))).to_be_visible(),
                    "tested no picture")
        expect(page.get_by_text(re.compile(r"^What the network receives \(32×32\)"))).to_be_visible()
    finally:
        context.close()
