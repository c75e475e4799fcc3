"""What the browser tests do again and again: sign in, open the phone menu, watch the console.

Elements are found by name, id, href or data attribute, never by their visible words,
which change with the language and with each translation.
"""
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD

#: Chrome's words for an error the page did not cause itself but a response did
FAILED_LOAD = "Failed to load resource"
#: the screens the journeys run on (issue #8): a small phone and a laptop
VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
#: run a journey once on each screen: the `page` fixture takes the screen's name
on_every_screen = pytest.mark.parametrize("page", list(VIEWPORTS), indirect=True)


def watch_console(page) -> list[str]:
    """Collect script errors, CSP violations and failed static assets, as they happen.

    A page answered 4xx on purpose (422 for a file with bad rows) makes Chrome log
    "Failed to load resource" for that page: only static assets count as broken.
    """
    problems: list[str] = []

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text:
            problems.append(f"CSP: {text}")
        elif message.type == "error":
            url = message.location.get("url", "")
            if text.startswith(FAILED_LOAD) and not urlsplit(url).path.startswith("/static/"):
                return
            problems.append(f"console error: {text} ({url})")

    def on_response(response) -> None:
        if urlsplit(response.url).path.startswith("/static/") and response.status >= 400:
            problems.append(f"asset {response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("response", on_response)
    page.add_init_script("""
        document.addEventListener("securitypolicyviolation", function (e) {
          console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
        });
    """)
    return problems


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the page that follows."""
    page.goto(f"{base}/login")
    page.fill("main input[name=username]", username)
    page.fill("main input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def open_menu(page) -> None:
    """On a phone the navbar is folded behind the toggler: unfold it."""
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#nav.show").wait_for()


def follow_menu(page, href: str) -> None:
    """Open the page a navbar link points to, as a person would on a phone."""
    open_menu(page)
    with page.expect_navigation():
        page.click(f"#nav a[href='{href}']")


def hold_posts(page, pattern: str) -> list:
    """Keep POSTs to `pattern` waiting, as a slow network would, to see the page meanwhile."""
    held: list = []
    page.route(pattern, lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    return held


def release(page, pattern: str, held: list) -> None:
    """Let the waiting POST go on to the server."""
    while not held:
        page.wait_for_timeout(20)
    for route in held:
        route.continue_()
    page.unroute(pattern)


def page_width(page) -> int:
    """How wide the document is; wider than the screen means sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits_the_screen(page) -> None:
    """No sideways scrolling on the phone: the page is no wider than the viewport."""
    width = page.viewport_size["width"]
    assert page_width(page) <= width, f"{page.url} is {page_width(page)} px wide on a {width}-px screen"


def path_of(page) -> str:
    """The current page's path, e.g. "/units/K1"."""
    return urlsplit(page.url).path
