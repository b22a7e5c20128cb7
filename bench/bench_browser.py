"""The app as a student feels it, in headless Chromium against `streamlit run` (the figures of docs/benchmarks.md).

Measures, in one run, medians / p90 / n of:
  a. slider release -> new pictures painted (Layer lab: layer 1's kernel size, default settings; Image lab:
     rotation angle), timed in the page from the key press to the frame after every changed picture loaded;
  b. the server's CPU per release (/proc/<pid>/stat utime + stime, read when the app is idle again);
  c. the bare torch forward of the same stack on the same input in this process (time.process_time) and
     the ratio server CPU / bare forward;
  d. a cold start: `streamlit run` -> health ok -> first picture painted on the first visit (fresh servers);
  e. a sidebar page switch -> the page's main control visible;
  f. websocket bytes (both ways) and /media/ bytes per interaction.
Optionally (--profile SECONDS) py-spy records the server during Layer lab slider releases and
bench/flame.py prints the share of samples per area.

    python bench/bench_browser.py                       # fresh server, everything but the profile
    python bench/bench_browser.py --profile 60          # ... and a 60 s py-spy profile at the end
    python bench/bench_browser.py --url http://127.0.0.1:8501 --only layer,image,switch
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import bench_support as bs
import browser_probe as probe
import flame
import torch

from playground.i18n import t
from testkit.server import free_port, streamlit_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
PHASES = ("cold", "layer", "layer-fresh", "image", "image-fresh", "switch")
# (name, url path, widget key class, pictures on the page when it is ready, ArrowRight presses before the
# alternation: the Image lab's 0-degree pictures are also drawn while a reloaded page settles, so use 1 <-> 2)
SLIDERS = {"layer": ("Layer lab: layer 1 kernel size 3 <-> 4", "layer_lab", "w-net-layers-0-kernel", 7, 0),
           "image": ("Image lab: rotation angle 1 <-> 2", "", "w-augment-angle", 4, 1)}
RUNS = {"layer": ("layer", False), "layer-fresh": ("layer", True), "image": ("image", False),
        "image-fresh": ("image", True)}
# Sidebar order (app.py): url path, h1 catalogue key, the control that says the page is usable
# (button keys before / after the binding rework of 0b37b30: both, so older commits can be measured too).
NAV = (("image_lab", "image.title", ".st-key-w-augment-angle input[type='range']"),
       ("conv_steps", "steps.title", ".st-key-b-steps-forward button, .st-key-steps-fwd_btn button"),
       ("layer_lab", "layers.page.title", ".st-key-w-net-layers-0-kernel input[type='range']"),
       ("training", "train.title", ".st-key-b-train-start button, .st-key-train-start button"))


def parse(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running loopback server (default: start a fresh one)")
    p.add_argument("--repeats", type=int, default=20, help="measured slider releases per slider")
    p.add_argument("--warmup", type=int, default=4, help="releases / switch rounds not counted")
    p.add_argument("--rounds", type=int, default=6, help="measured rounds of sidebar switches over every page")
    p.add_argument("--cold", type=int, default=3, help="cold starts (a fresh server each)")
    p.add_argument("--only", default=",".join(PHASES), help=f"comma list of {', '.join(PHASES)}")
    p.add_argument("--profile", type=float, default=0, help="seconds of py-spy recording during slider releases")
    p.add_argument("--profile-out", type=Path, help="keep py-spy's raw (collapsed) stacks here")
    p.add_argument("--torch-threads", type=int, help="OMP_NUM_THREADS for the servers started here and torch threads "
                   "in this process (default: torch's default in both)")
    p.add_argument("--json", type=Path, help="also write every sample to this file")
    args = p.parse_args(argv)
    args.only = set(filter(None, args.only.split(",")))
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        p.error("--url must be a loopback server you started yourself")
    return args


def new_tab(browser, init: str = probe.INIT_SCRIPT):
    """A fresh context and page with the probe installed; (context, page, traffic counter)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(60_000)
    context.add_init_script(init)
    page = context.new_page()
    return context, page, probe.Traffic(page)


def warm_up(browser, url: str) -> None:
    """One tab visits every page once (imports, caches, Streamlit's navigation mode), as a class would."""
    context, page, _ = new_tab(browser)
    for path, _key, control in NAV:
        page.goto(f"{url}/{path}")
        page.wait_for_selector(control, timeout=180_000)
        probe.settle(page, quiet_ms=1000, timeout_ms=180_000)
    context.close()


def release(page, thumb, key: str, watch: tuple[list[int], bool], traffic, pid: int) -> dict:
    """One slider release by keyboard: painted / idle ms, server CPU ms and bytes."""
    thumb.focus()
    cpu0 = bs.proc_cpu_ms(pid)
    traffic.reset()
    page.evaluate(probe.ARM_PICTURES, [probe.MAIN_IMAGES, watch[0], watch[1], 60_000])
    page.keyboard.press(key)
    out = probe.result(page)
    probe.settle(page)
    out["cpu_ms"] = bs.proc_cpu_ms(pid) - cpu0
    return {**out, **traffic.snapshot(page)}


def learn(page, thumb, traffic, pid: int, keys: tuple[str, str], n: int) -> tuple[list[int], bool]:
    """Warm-up releases; returns which pictures changed (indices) and whether a plotly chart did."""
    changed, chart = set(), False
    for i in range(max(2, n) + 6):  # under load a release may settle before its pictures came: a few more tries
        if i >= max(2, n) and changed:
            break
        before = probe.image_srcs(page)
        release(page, thumb, keys[i % 2], ([], False), traffic, pid)
        after = probe.image_srcs(page)
        changed |= {j for j, (a, b) in enumerate(zip(before, after, strict=False)) if a != b}
        chart = chart or page.evaluate("() => window.__bench.plotlyAt !== null")
    if not changed:
        raise RuntimeError("no picture changed when the slider moved")
    return sorted(changed), chart


def new_document(page) -> None:
    """Reload: a new document has an empty list of available images, so every new picture is downloaded."""
    page.reload()
    probe.wait_page_ready(page, 1)


def open_slider(browser, url: str, which: str, fresh: bool):
    """A tab on the slider's page, ready, the slider at its first value: (context, page, traffic, thumb)."""
    _title, path, key, images, offset = SLIDERS[which]
    context, page, traffic = new_tab(browser)
    if fresh:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(f"{url}/{path}")
    probe.wait_page_ready(page, images)
    thumb = page.locator(f".st-key-{key} input[type='range']")
    for _ in range(offset):
        thumb.focus()
        page.keyboard.press("ArrowRight")
        probe.settle(page)
    return context, page, traffic, thumb


def slider_run(browser, url: str, pid: int, which: str, args, forward=None, seconds: float = 0, fresh=False) -> dict:
    """Warm-up, then alternating releases (repeats, or for `seconds`); samples per figure.

    fresh=False: one document; from the third release on, the alternating values' pictures come from the
    browser's list of available images (same media URL), so only the websocket part is fetched.
    fresh=True: each release in a newly loaded document (a reload, the share link keeps the value), so its
    pictures are downloaded as on first sight of a value; the HTTP cache is switched off too.
    """
    context, page, traffic, thumb = open_slider(browser, url, which, fresh)
    keys = ("ArrowRight", "ArrowLeft")
    watch = learn(page, thumb, traffic, pid, keys, args.warmup)
    samples: dict[str, list] = {"watched": watch[0], "plotly": watch[1]}
    deadline = time.monotonic() + seconds
    i = 0
    while (i < args.repeats) if not seconds else (time.monotonic() < deadline):
        if fresh:
            new_document(page)
        one = release(page, thumb, keys[i % 2], watch, traffic, pid)
        if forward is not None:
            kernel = int(thumb.input_value())
            one["forward_ms"] = forward.median_forward_ms(kernel)
            one["forward_1t_ms"] = forward.median_forward_ms(kernel, threads=1)
        for name, value in one.items():
            samples.setdefault(name, []).append(value)
        i += 1
    context.close()
    return samples


def switch_run(browser, url: str, pid: int, args) -> dict:
    """Rounds of sidebar clicks over every page; per page: controls-visible ms, idle ms, CPU, bytes."""
    context, page, traffic = new_tab(browser)
    page.goto(url)
    probe.wait_page_ready(page, 1)
    links = page.locator("[data-testid='stSidebarNavLink']")
    samples: dict[str, dict[str, list]] = {}
    order = list(range(1, len(NAV))) + [0]  # start on the Image lab, end each round back on it
    for rnd in range(args.warmup // 2 + args.rounds):
        for i in order:
            path, title_key, control = NAV[i]
            cpu0 = bs.proc_cpu_ms(pid)
            traffic.reset()
            page.evaluate(probe.ARM_CONTROLS, [control, t(title_key, "en"), 60_000])
            links.nth(i).click()
            one = probe.result(page)
            probe.settle(page)
            one.update(cpu_ms=bs.proc_cpu_ms(pid) - cpu0, **traffic.snapshot(page))
            if rnd >= args.warmup // 2:
                for name, value in one.items():
                    samples.setdefault(path, {}).setdefault(name, []).append(value)
    context.close()
    return samples


def cold_run(browser, args, tmp: Path) -> dict:
    """Fresh servers: start command -> health ok -> the first visit's first picture painted (and settled)."""
    samples: dict[str, list] = {}
    for i in range(args.cold):
        start = probe.epoch_ms()
        with streamlit_server(tmp / f"cold-{i}.log", env=bs.server_env(args), port=free_port(), poll=0.02) as (url, _proc):
            health = probe.epoch_ms()
            context, page, _ = new_tab(browser, probe.INIT_SCRIPT + probe.FIRST_PICTURE)
            page.goto(url)
            page.wait_for_function("() => window.__first !== undefined", timeout=180_000, polling=20)
            first = page.evaluate("() => window.__first")
            probe.settle(page, quiet_ms=1000, timeout_ms=180_000)
            settled = probe.epoch_ms()
            context.close()
        for name, value in (("health_ms", health - start), ("first_from_start_ms", first - start),
                            ("first_from_health_ms", first - health), ("settled_from_start_ms", settled - start)):
            samples.setdefault(name, []).append(value)
    return samples


def profile_run(browser, url: str, pid: int, args, tmp: Path) -> str:
    """py-spy records the server while the Layer lab's slider is released for --profile seconds."""
    out = args.profile_out or tmp / "profile.txt"
    cmd = ["py-spy", "record", "--pid", str(pid), "--rate", "100", "--format", "raw", "--full-filenames",
           "--nonblocking", "--output", str(out), "--duration", str(int(args.profile))]
    with open(tmp / "py-spy.log", "wb") as log:
        spy = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        time.sleep(1)  # py-spy attaches
        samples = slider_run(browser, url, pid, "layer", args, seconds=args.profile)
        spy.wait(timeout=args.profile + 120)
    if spy.returncode or not Path(out).exists():
        return f"py-spy failed ({spy.returncode}): {(tmp / 'py-spy.log').read_text()[-2000:]}"
    print(f"py-spy raw stacks: {out} ({len(samples['ms'])} releases while recording)")
    return flame.summary(Path(out).read_text(errors="replace"))


def warm_runs(browser, url: str, pid: int, args) -> dict:
    """The slider phases (with the bare forward interleaved in the Layer lab's) and the page switches."""
    forward = bs.BareForward()
    results = {"build_ms": [forward.build_ms(k) for k in (3, 4, 3, 4)]}
    for run, (which, fresh) in RUNS.items():
        if run in args.only:
            results[run] = slider_run(browser, url, pid, which, args, forward if which == "layer" else None, fresh=fresh)
    if "switch" in args.only:
        results["switch"] = switch_run(browser, url, pid, args)
    return results


def main(argv=None) -> int:
    """Run the chosen phases and print the figures."""
    import browser_report as report
    from playwright.sync_api import sync_playwright

    args = parse(argv)
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    print(bs.environment(), flush=True)
    results: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "load_start": bs.load_average()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        if "cold" in args.only and args.cold:
            results["cold"] = cold_run(browser, args, tmp)
        with bs.server(args, tmp / "server.log") as (url, pid):
            warm_up(browser, url)
            results.update(warm_runs(browser, url, pid, args))
            results["load_end"] = bs.load_average()
            print(report.figures(results, SLIDERS, RUNS, NAV), flush=True)
            if args.profile:
                print("\n" + profile_run(browser, url, pid, args, tmp))
        browser.close()
    print(f"load average at end: {bs.load_average()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
