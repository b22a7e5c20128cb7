"""The core demo with the keyboard alone: from the Image lab, Tab to the Layer lab's link and open it, Tab to the
kernel-size slider and press ArrowRight, then Tab to stride's + button and press Enter; the table and the
feature-map picture's text say the new shape. Every stop on the way shows a focus outline."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

ACTIVE = """() => { const e = document.activeElement; const box = e.closest('[data-testid]');
  const s = getComputedStyle(e);
  return {text: (e.innerText || e.getAttribute('aria-label') || '').trim(),
          role: e.getAttribute('role') || (e.type === 'range' ? 'slider' : ''),
          box: box ? box.dataset.testid : '', boxText: box ? box.innerText : '',
          control: e.matches('a[href], button, input, select, textarea, summary, [role=slider], [tabindex="0"]'),
          outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'}; }"""


def tab_to(page, found, limit: int = 120) -> dict:
    """Press Tab until found(active element facts) is true; every control on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(ACTIVE)
        assert now["outline"] or not now["control"], f"no visible focus on {now['box']} {now['text'][:40]!r}"
        if found(now):
            return now
    raise AssertionError("Tab never reached the control")


def shape_of_layer_1(page) -> tuple[int, int, int]:
    """Layer 1's output C×H×W from the feature-map picture's alt text."""
    alts = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stImage'] img")]
        .filter(i => !i.closest("[class*='st-key-stage-box-']")).map(i => i.alt)""")  # the stage shows 4 maps only
    alt = next((a for a in alts if a.startswith("Layer 1 ")), None)
    found = re.search(r"Layer 1 \S+: (\d+) feature maps of (\d+)×(\d+)", alt or "")
    assert found, f"layer 1's picture says {alt!r}"
    return tuple(int(v) for v in found.groups())


LAYOUT_CSS = "[data-testid='stHtml'] style"  # theme.apply's block, where the focus outline is set


def test_change_a_kernel_size_with_the_keyboard_alone(page, app_url):
    page.goto(app_url)
    page.locator(LAYOUT_CSS).first.wait_for(state="attached")  # the outline rule is in: Tab stops can be judged
    wait_idle(page)
    tab_to(page, lambda a: a["box"] == "stSidebarNavLink" and t("labs.layer_lab", "en") in a["text"])
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator("[data-testid='stMain'] [data-testid='stImage'] img").nth(1)).to_be_visible()
    channels, h, w = shape_of_layer_1(page)

    kernel = t("layers.editor.kernel", "en")
    tab_to(page, lambda a: a["role"] == "slider" and kernel in a["boxText"])
    page.keyboard.press("ArrowRight")  # kernel 3 -> 4: one pixel less each way
    wait_idle(page)
    expect(page.locator("[data-testid='stMain'] table").first).to_contain_text(f"{channels}×{h - 1}×{w - 1}")
    assert shape_of_layer_1(page) == (channels, h - 1, w - 1)

    stride = t("layers.editor.stride", "en")
    tab_to(page, lambda a: a["role"] == "slider" and stride in a["boxText"])  # focus stayed on the kernel slider
    page.keyboard.press("ArrowRight")  # the stage's stride slider: 1 -> 2
    wait_idle(page)
    expect(page.locator("[data-testid='stMain'] table").first).to_contain_text(
        f"{channels}×{(h - 2) // 2 + 1}×{(w - 2) // 2 + 1}")
