"""Basic accessibility, checked on every page a browser journey visits (issue #8).

What a screen reader or a keyboard needs first: every field named, every picture
described, the language declared, one main landmark and one h1, and a Tab key that walks
the links and controls in reading order with the focus visible on each of them.
"""
from tests.e2e.browser import path_of

#: how many times the walk presses Tab: the navbar and the start of the content (it stops
#: looking once the focus leaves the page)
TAB_STOPS = 30

#: what the page itself can tell: names, alt texts, lang, landmarks (a list of problems)
STATIC_CHECKS = """() => {
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "")
      + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "");
  const text = (el) => (el.textContent || "").trim()
      || Array.from(el.querySelectorAll("img[alt]")).map((i) => i.alt).join("").trim();
  const named = (el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return true;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.some((id) => document.getElementById(id) && text(document.getElementById(id)))) return true;
    return Array.from(el.labels || []).some((label) => text(label));
  };
  const shown = (el) => el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== "hidden";

  if (!(document.documentElement.getAttribute("lang") || "").trim()) {
    problems.push("<html> has no lang");
  }
  const mains = document.querySelectorAll("main, [role=main]").length;
  if (mains !== 1) problems.push(mains + " main landmarks, not one");
  const h1s = document.querySelectorAll("h1").length;
  if (h1s !== 1) problems.push(h1s + " h1 headings, not one");

  const skip = ["hidden", "submit", "button", "reset", "image"];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.tagName === "INPUT" && skip.includes((el.getAttribute("type") || "").toLowerCase())) continue;
    if (!named(el)) problems.push(describe(el) + " has no label");
  }
  for (const el of document.querySelectorAll(".is-invalid")) {
    const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    if (el.getAttribute("aria-invalid") !== "true"
        || !ids.some((id) => document.getElementById(id)?.classList.contains("invalid-feedback"))) {
      problems.push(describe(el) + " is marked invalid but not aria-invalid, described by its message");
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) {
      problems.push("label for=" + label.htmlFor + " points to nothing");
    }
  }
  for (const img of document.querySelectorAll("img, input[type=image]")) {
    if (!img.hasAttribute("alt")) problems.push(describe(img) + " " + img.src + " has no alt");
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.parentElement.closest("svg") || svg.closest("[aria-hidden=true]")) continue;
    const role = svg.getAttribute("role");
    const labelled = svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby")
        || svg.querySelector(":scope > title");
    if (!(role && (labelled || role === "presentation" || role === "none"))) {
      problems.push(describe(svg) + " is neither labelled (role + aria-label) nor aria-hidden");
    }
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    if (shown(el) && !text(el) && !named(el) && !(el.getAttribute("title") || "").trim()) {
      problems.push(describe(el) + " has no name");
    }
  }
  const focusable = "a[href], button, input, select, textarea, [tabindex]";
  for (const el of document.querySelectorAll(
      focusable.split(", ").map((s) => "[aria-hidden=true] " + s + ", [role=img] " + s).join(", "))) {
    if (el.tabIndex >= 0) problems.push(describe(el) + " takes the focus inside a hidden picture");
  }
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (el.tabIndex > 0) problems.push(describe(el) + " has tabindex > 0: it breaks the order");
  }
  return problems;
}"""

#: how the element that just took the focus shows it, and its place among the tab stops
FOCUS_INFO = r"""(el) => {
  const stops = Array.from(document.querySelectorAll(
      "a[href], button, input, select, textarea, summary, [tabindex]"))
    .filter((e) => e.tabIndex >= 0 && !e.disabled && e.type !== "hidden"
        && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden");
  const rgba = (text) => {
    const m = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/.exec(text || "");
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const luminance = (c) => c.slice(0, 3).map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  // the ring is drawn around the element: against the first opaque background behind it
  let back = [255, 255, 255, 1];
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = rgba(getComputedStyle(p).backgroundColor);
    if (c && c[3] > 0) { back = c; break; }
  }
  const shows = (ring) => {
    if (!ring || ring[3] === 0) return false;
    const mixed = ring.slice(0, 3).map((v, i) => v * ring[3] + back[i] * (1 - ring[3]));
    const [hi, lo] = [luminance(mixed), luminance(back)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05) >= 1.3;  // Bootstrap's pale ring on white is 1.4
  };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && (style.outlineStyle === "auto" || shows(rgba(style.outlineColor)));
  const shadow = style.boxShadow !== "none" && shows(rgba(style.boxShadow));
  const rect = el.getBoundingClientRect();
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "")
        + (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : ""),
    // Chrome lets the keyboard into a scrolled box (a wide table): it sits between its neighbours
    index: stops.includes(el) ? stops.indexOf(el)
        : (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)
        ? stops.filter((e) => e.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING).length - 0.5
        : -1,
    visible: outline || shadow,
    onScreen: rect.width > 0 && rect.height > 0,
    inMain: !!el.closest("main"),
    mainHasStops: stops.some((e) => e.closest("main")),
  };
}"""

#: from the top of the page, note every element the focus lands on (one round trip per Tab)
START_WALK = """() => {
  if (document.activeElement) document.activeElement.blur();
  document.body.setAttribute("tabindex", "-1");
  document.body.focus();
  document.body.removeAttribute("tabindex");
  const seen = """ + FOCUS_INFO + """;
  window.__tabStops = [];
  window.__noteFocus = (event) => window.__tabStops.push(seen(event.target));
  window.__noteLeaving = () => window.__tabStops.push(null);
  document.addEventListener("focusin", window.__noteFocus, true);
  window.addEventListener("blur", window.__noteLeaving);
}"""

#: what the walk saw, and the page as it was before it
END_WALK = """() => {
  document.removeEventListener("focusin", window.__noteFocus, true);
  window.removeEventListener("blur", window.__noteLeaving);
  if (document.activeElement) document.activeElement.blur();
  return window.__tabStops;
}"""


def tab_walk(page, stops: int = TAB_STOPS) -> list[str]:
    """Press Tab from the top: each stop comes later in the page than the one before,
    is on screen and shows its focus; the walk reaches the main content."""
    page.evaluate(START_WALK)
    for _ in range(stops):
        page.keyboard.press("Tab")
    walk = page.evaluate(END_WALK)
    problems: list[str] = []
    last, reached_main = -1, False
    for focus in walk:
        if focus is None:  # past the last stop the focus leaves the page: the walk is done
            break
        if focus["index"] == -1:
            problems.append(f"Tab went to {focus['what']}, which is not a link or control")
        elif focus["index"] < last:  # the same index again: the parts of a date field
            problems.append(f"Tab went back to {focus['what']}: not in reading order")
        if not focus["onScreen"]:
            problems.append(f"{focus['what']} takes the focus but is not on screen")
        if not focus["visible"]:
            problems.append(f"{focus['what']} shows no focus: no outline or box-shadow that stands "
                            "out from the background")
        last = max(last, focus["index"])
        reached_main = reached_main or focus["inMain"]
    if any(focus and focus["mainHasStops"] for focus in walk) and not reached_main:
        problems.append(f"{stops} Tab presses never reached the main content")
    return problems


def assert_accessible(page) -> None:
    """Check the page now on screen: labels, alt texts, lang, landmarks, keyboard."""
    page.emulate_media(reduced_motion="reduce")  # focus rings drawn at once, not faded in
    problems = page.evaluate(STATIC_CHECKS) + tab_walk(page)
    assert not problems, f"{path_of(page)} fails basic accessibility:\n" + "\n".join(problems)


def tab_to(page, selector: str, stops: int = 120) -> None:
    """Move the focus with the Tab key alone until it is on `selector`, as a keyboard user
    would; fails if Tab never gets there."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(stops):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{stops} Tab presses never reached {selector} on {path_of(page)}")
