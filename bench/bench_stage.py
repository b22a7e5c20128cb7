"""The Layer lab's stage against the framework floor, in one run (the figures of docs/benchmarks.md, "Stage").

Two servers from this checkout: the app, and bench/bare_slider.py (one slider, one st.image). One headless
Chromium tab per page; releases go to each tab in turn, so both see the same machine load. Each release
is a key press on the focused slider (ArrowRight / ArrowLeft in turn), timed in the page (bench/browser_probe.py)
from the keydown to the frame after the watched picture has a new src and has loaded:

  bare:  the bare page's only picture;
  stage: the stage's output maps of layer 1 (its kernel-size slider), Layer lab default stack, whole lab below;
  only:  the same with "Only the stage" switched on (the stage reruns alone, in its own fragment).

    python bench/bench_stage.py                    # 20 releases each after 4 warm-up ones, 1280×720 projector
    python bench/bench_stage.py --repeats 40
    python bench/bench_stage.py --slider padding   # the stage's padding slider instead of its kernel size
    python bench/bench_stage.py --sweep            # right to the slider's end, then left: a new value each time

The stage sends the maps of the neighbouring kernel sizes and strides ahead (playground/ui/layer_lab/maps_view.py):
its kernel-size releases are painted in the browser before the server's run. A padding release is not sent
ahead: it measures the server's round trip.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import bench_support as bs
import browser_probe as probe

from testkit.server import free_port, streamlit_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VERBOSE = False
VIEWPORT = {"width": 1280, "height": 720}
# name: (url path + query, slider key class, watched pictures' selector)
TABS = {"bare": ("", "st-key-bare", "[data-testid='stMain'] [data-testid='stImage'] img"),
        "stage": ("layer_lab?projector=1", "st-key-stage-w-net-layers-0-kernel",
                  ".st-key-stage-out-stage figure.pg-stage-maps img")}
TABS["only"] = TABS["stage"]  # the same page after a click on "Only the stage"
ONLY_TOGGLE = ".st-key-w-view-layers-stage_only input"


def parse(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=20, help="measured releases per page")
    p.add_argument("--verbose", action="store_true", help="print each release's painted and script-idle times")
    p.add_argument("--warmup", type=int, default=4, help="releases per page not counted")
    p.add_argument("--sweep", action="store_true",
                   help="press one way until the slider's end, then the other (default: right, left, right, ...)")
    p.add_argument("--slider", choices=("kernel", "stride", "padding", "out_channels"), default="kernel",
                   help="the stage slider the stage and only pages press (the bare page has its one)")
    return p.parse_args(argv)


def open_tab(browser, url: str, name: str, field: str = "kernel"):
    """(context, page, thumb) of one page, loaded and settled, the probe installed; field: the stage's slider."""
    path, key, sel = TABS[name]
    key = key.replace("-kernel", f"-{field}")
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(120_000)
    context.add_init_script(probe.INIT_SCRIPT)
    page = context.new_page()
    page.goto(f"{url}/{path}")
    page.wait_for_selector(sel, timeout=180_000)
    probe.settle(page, quiet_ms=1000, timeout_ms=180_000)
    if name == "only":
        page.locator(ONLY_TOGGLE).check(force=True)
        page.wait_for_selector(".st-key-b-layers-load", state="detached", timeout=120_000)  # the rest is gone
        probe.settle(page, quiet_ms=1000, timeout_ms=180_000)
    return context, page, page.locator(f".{key} input[type='range']")


def release(page, thumb, key: str, sel: str) -> float:
    """One key press on the focused slider; ms to the new picture painted."""
    thumb.focus()
    page.evaluate(probe.ARM_PICTURES, [sel, [0], False, 60_000])
    page.keyboard.press(key)
    out = probe.result(page)
    probe.settle(page)
    if VERBOSE:
        print(f"  painted {out['ms']:.0f} ms, script idle {out['idle_ms'] or 0:.0f} ms", flush=True)
    return out["ms"]


def figures(samples: dict[str, list[float]]) -> str:
    """Median, p90 and n per page, and the ratio of the medians."""
    lines = []
    for name, ms in samples.items():
        q = statistics.quantiles(ms, n=10)
        lines.append(f"{name:6s} release -> painted: median {statistics.median(ms):6.0f} ms  p90 {q[-1]:6.0f} ms  "
                     f"n {len(ms)}")
    for name in ("stage", "only"):
        ratio = statistics.median(samples[name]) / statistics.median(samples["bare"])
        lines.append(f"ratio {name} / bare (medians): {ratio:.2f}  (target <= 1.3)")
    return "\n".join(lines)


def main(argv=None) -> int:
    """Start both servers, alternate releases, print the figures."""
    from playwright.sync_api import sync_playwright

    global VERBOSE
    args = parse(argv)
    VERBOSE = args.verbose
    print(bs.environment(), flush=True)
    print(f"stage slider pressed: {args.slider}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-stage-"))
    print(f"server logs: {tmp}", flush=True)
    samples: dict[str, list[float]] = {"bare": [], "stage": [], "only": []}
    with ExitStack() as stack:
        app_url, _ = stack.enter_context(streamlit_server(tmp / "app.log", port=free_port()))
        bare_url, _ = stack.enter_context(streamlit_server(tmp / "bare.log", "bench/bare_slider.py", port=free_port()))
        urls = {"bare": bare_url, "stage": app_url, "only": app_url}
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        tabs = {name: open_tab(browser, url, name, args.slider) for name, url in urls.items()}
        keys = ("ArrowRight", "ArrowLeft")
        going = {name: 0 for name in tabs}
        for i in range(args.warmup + args.repeats):
            for name, (_ctx, page, thumb) in tabs.items():
                if args.sweep:  # turn at the slider's ends
                    value, low, high = (float(thumb.evaluate(f"e => e.{a}")) for a in ("value", "min", "max"))
                    going[name] = 1 if value >= high else 0 if value <= low else going[name]
                ms = release(page, thumb, keys[going[name] if args.sweep else i % 2], TABS[name][2])
                if i >= args.warmup:
                    samples[name].append(ms)
        browser.close()
    print(figures(samples))
    print(f"load average at end: {bs.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
