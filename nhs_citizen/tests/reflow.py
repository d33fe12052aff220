"""The reflow check (WCAG 1.4.10): at 320 CSS pixels wide a page never scrolls sideways.

A wide table may scroll inside its own box, as WCAG allows for data tables, if the box is a
labelled region that keyboard users can reach (``tabindex="0"``) to scroll it."""

from __future__ import annotations

NARROW = {"width": 320, "height": 640}

# Returns what sticks out: the page's own width, and each outermost element wider than the
# window that is not inside a box that clips it or a labelled, focusable scrolling region.
FIND_SIDEWAYS_SCROLL = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    const words = (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    return words ? `${text} ("${words}")` : text;
  };
  const scrollsAcceptably = (box) =>
    box.tabIndex >= 0 &&
    box.getAttribute('role') === 'region' &&
    (box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'));
  const reported = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    // Text that does not wrap sticks out of its box without making the box any wider.
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const right = ownText && style.overflowX === 'visible'
      ? Math.max(rect.right, rect.left + el.scrollWidth) : rect.right;
    if (right <= width + 1 && rect.left >= -1) continue;
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    let box = el.parentElement, verdict = 'sticks out';
    while (box && box !== document.documentElement) {
      if (reported.has(box)) { verdict = 'inside'; break; }
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === 'hidden' || overflow === 'clip') { verdict = 'clipped'; break; }
      if (overflow === 'auto' || overflow === 'scroll') {
        verdict = scrollsAcceptably(box) ? 'scrolls in a region' : 'unlabelled scroll';
        break;
      }
      box = box.parentElement;
    }
    if (verdict === 'sticks out') {
      reported.add(el);
      problems.push(`${describe(el)} reaches ${Math.round(right)}px, from ${Math.round(rect.left)}px`);
    } else if (verdict === 'unlabelled scroll' && !reported.has(box)) {
      reported.add(box);
      problems.push(`${describe(box)} scrolls sideways but is not a labelled region with tabindex="0"`);
    }
  }
  return problems;
}"""


def sideways_scroll(page) -> list[str]:
    """What makes the page, as loaded, scroll sideways (empty when nothing does)."""
    page.wait_for_load_state("load")
    return page.evaluate(FIND_SIDEWAYS_SCROLL)
