"""What a student would see cut off: truncated text and a page that scrolls sideways (browser tests, screenshots)."""
from __future__ import annotations

# Runs in the page. Truncated: an element that clips its own text (overflow hidden / ellipsis) while the text is
# wider than the box. Sideways: the main area or the document is wider than the window.
CLIPPED_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return {truncated: [], sideways: 0};
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const clips = ['hidden', 'clip'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis';
    if (own && clips && el.scrollWidth > el.clientWidth + 2) out.push(el.textContent.trim().slice(0, 60));
  }
  const width = Math.max(document.documentElement.scrollWidth, main.scrollWidth);
  return {truncated: out, sideways: Math.max(0, width - window.innerWidth)};
}"""


def clipped(page) -> dict:
    """{"truncated": [texts cut off], "sideways": px the page can scroll sideways} of the current page."""
    return page.evaluate(CLIPPED_JS)
