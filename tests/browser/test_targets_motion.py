"""Touch targets and motion: at least 24 px everywhere, 44 px under a finger (a coarse pointer), and no
animation or transition when the system asks for reduced motion."""
from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from testkit.browser import wait_idle

SIZES = """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
    .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height, (e.innerText || '').trim()]; })"""
# The theme's style block is drawn again on a rerun: wait for the state rather than read one instant of it.
# The Layer lab draws some parts after the page first goes idle: wait for `count` of them as well.
ALL_AT_LEAST = f"""([sel, least, count]) => {{ const sizes = ({SIZES})(sel);
    return sizes.length >= count && sizes.every(s => Math.min(s[0], s[1]) >= least); }}"""
TARGETS = "[data-testid='stMain'] button, [data-testid='stMain'] [data-baseweb='select']"
HELP = "[data-testid='stMain'] [data-testid='stTooltipHoverTarget'] button"  # Streamlit draws "?" at 16 px


LONGEST = """() => [...document.querySelectorAll('[data-testid=stApp] *')]
    .map(e => Math.max(...getComputedStyle(e).transitionDuration.split(',').map(parseFloat)))"""


def open_layer_lab(browser, app_url, **context):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, **context)
    page = context.new_page()
    page.goto(f"{app_url}/layer_lab")
    wait_idle(page)
    return page


def test_targets_are_44_px_under_a_finger_and_24_px_with_a_mouse(browser, app_url):
    for touch, least in ((True, 44), (False, 24)):
        page = open_layer_lab(browser, app_url, has_touch=touch, is_mobile=touch)
        assert page.evaluate("() => matchMedia('(pointer: coarse)').matches") == touch
        for sel, count in ((HELP, 5), (TARGETS, 1)):  # the help icons come late: then the rest is drawn too
            try:
                page.wait_for_function(ALL_AT_LEAST, arg=[sel, least, count], timeout=30_000)
            except PlaywrightTimeout:
                sizes = page.evaluate(SIZES, sel)
                small = [s for s in sizes if min(s[0], s[1]) < least]
                raise AssertionError(f"{sel}: {len(sizes)} found (wanted {count} or more), "
                                     f"under {least} px (touch={touch}): {small[:5]}") from None
        page.context.close()


def test_reduced_motion_turns_transitions_off(browser, app_url):
    durations = {}
    for motion in ("reduce", "no-preference"):
        page = open_layer_lab(browser, app_url, reduced_motion=motion)
        if motion == "reduce":
            page.wait_for_function(f"() => Math.max(...({LONGEST})()) <= 0.001", timeout=15_000)
        durations[motion] = page.evaluate(LONGEST)
        page.context.close()
    assert max(durations["reduce"]) <= 0.001, durations["reduce"][:5]
    assert max(durations["no-preference"]) > 0.001  # some of Streamlit's parts do animate otherwise
