"""What a student would see cut off: truncated text and a page that scrolls sideways (browser tests, screenshots)."""
from __future__ import annotations

# Runs in the page. Truncated: a text that its own box or a clipping box around it (overflow hidden / clip,
# ellipsis) cuts off sideways. Sideways: the main area or the document is wider than the window.
# A text field shows its value cut off when the value is wider than the field.
# A box that scrolls (overflow auto) does not count: its content can be reached.
CLIPPED_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return {truncated: [], sideways: 0};
  const clips = cs => ['hidden', 'clip'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis';
  const out = [];
  const ctx = document.createElement('canvas').getContext('2d');
  for (const el of main.querySelectorAll('input[type="text"], input:not([type])')) {  // a select's shown value
    const cs = getComputedStyle(el);
    if (!el.value || el.getBoundingClientRect().width < 2) continue;
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (ctx.measureText(el.value).width > room + 2) out.push(el.value.slice(0, 60));
  }
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('svg, .katex-mathml, [data-testid="stTooltipContent"]')) continue;  // drawn / spoken only
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const texts = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!texts.length) continue;
    let cut = clips(cs) && el.scrollWidth > el.clientWidth + 2;
    const range = document.createRange();
    range.setStartBefore(texts[0]); range.setEndAfter(texts[texts.length - 1]);
    const t = range.getBoundingClientRect();
    for (let a = el.parentElement, depth = 0; !cut && a && a !== main && depth < 8; a = a.parentElement, depth++) {
      const ac = getComputedStyle(a);
      if (['auto', 'scroll'].includes(ac.overflowX)) break;  // a box that scrolls: its content can be reached
      if (!clips(ac)) continue;
      const b = a.getBoundingClientRect();
      cut = t.right > b.right + 2 || t.left < b.left - 2;
    }
    if (cut) out.push(el.textContent.trim().slice(0, 60));
  }
  const width = Math.max(document.documentElement.scrollWidth, main.scrollWidth);
  return {truncated: out, sideways: Math.max(0, width - window.innerWidth)};
}"""


def clipped(page) -> dict:
    """{"truncated": [texts cut off], "sideways": px the page can scroll sideways} of the current page."""
    return page.evaluate(CLIPPED_JS)
