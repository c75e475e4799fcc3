"""Browser tests: the app served on a real port, driven by Debian's Chromium.

Skipped, with the reason, where /usr/bin/chromium is absent (`apt-get install chromium`);
`playwright install` is never used — it cannot download here.
"""
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from tests.e2e.browser import VIEWPORTS
from tests.e2e.browser import watch_console

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def live_server(app):
    """Serve the test app on a free local port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context, Chinese first, at a phone's size (375 × 667) unless the test
    asks for another of VIEWPORTS (`@on_every_screen` runs it on each).

    Any script error, CSP violation or missing asset on any page fails the test.
    """
    viewport = VIEWPORTS[getattr(request, "param", "phone")]
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = watch_console(page)
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    """A university U1 › college C1 › class K1 › dorm D1, its college admin and a dorm informant."""
    university = make_unit("U1", name="示范大学", students=31000)
    college = make_unit("C1", "college", university, name="教育学院")
    klass = make_unit("K1", "class", college, students=30, name="心理1班")
    dorm = make_unit("D1", "dorm", klass, students=6, name="1号寝室")
    admin = make_user("admin@example.edu.cn", grant=("admin", "C1"), name="王老师")
    student = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    learner = make_user("s001@example.edu.cn", person=student, name="李同学")
    return SimpleNamespace(university=university, college=college, klass=klass, dorm=dorm,
                           admin=admin, student=student, learner=learner)
