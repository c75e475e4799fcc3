"""The simulated learners of bench/load.py (Locust): each has its own signed-in session,
and browses, works through its case studies and sits the quiz, like a phone with JavaScript.

Read by `locust -f`, which bench/load.py runs with LOAD_LEARNERS (a JSON list of the
session cookies of the learners it signed in, one per learner), LOAD_WAIT ("min,max"
seconds between two requests), LOAD_QUIZ_PAGES and LOAD_SUMMARY (where the figures go
as Locust quits: per kind of request the count, failures, 5xx and percentiles, and
what the learners got done).
"""
import json
import os
import random
import re
import sys
from collections import Counter
from collections import defaultdict
from pathlib import Path

from locust import HttpUser
from locust import between
from locust import events
from locust import task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import QUIZ  # noqa: E402
from web import csrf  # noqa: E402

SESSIONS = iter(json.loads(Path(os.environ["LOAD_LEARNERS"]).read_text()))
WAIT = [float(part) for part in os.environ.get("LOAD_WAIT", "1,3").split(",")]
#: the pages of the quiz a learner answers, one by one, before submitting the attempt
QUIZ_PAGES = int(os.environ.get("LOAD_QUIZ_PAGES", "3"))
#: answers by kind of request and HTTP status; what the learners got done
STATUSES: dict[str, Counter] = defaultdict(Counter)
OUTCOMES: Counter = Counter()


@events.request.add_listener
def count_status(name, response=None, **_kwargs):
    STATUSES[name][response.status_code if response is not None else 0] += 1


@events.quitting.add_listener
def write_summary(environment, **_kwargs):
    """Write LOAD_SUMMARY for bench/load.py: it prints the table and sets the exit code."""
    stats = environment.stats
    kinds = {}
    for entry in stats.entries.values():
        statuses = STATUSES[entry.name]
        kinds[entry.name] = {
            "requests": entry.num_requests, "failures": entry.num_failures,
            "5xx": sum(n for status, n in statuses.items() if status >= 500),
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
            "p99": entry.get_response_time_percentile(0.99) or 0,
            "max": entry.max_response_time or 0}
    statuses = Counter()
    for counts in STATUSES.values():
        statuses.update(counts)
    total = stats.total
    seconds = max((total.last_request_timestamp or 0) - total.start_time, 1e-3)
    Path(os.environ["LOAD_SUMMARY"]).write_text(json.dumps({
        "users": OUTCOMES["learners"], "seconds": seconds, "kinds": kinds,
        "total": {"requests": total.num_requests, "failures": total.num_failures,
                  "5xx": sum(n for status, n in statuses.items() if status >= 500),
                  "statuses": {str(status): n for status, n in statuses.items()}},
        "outcomes": dict(OUTCOMES),
        "errors": {f"{e.method} {e.name}: {e.error}": e.occurrences for e in stats.errors.values()},
    }, indent=1))


def token(html: str) -> str | None:
    """The page's CSRF token (web.csrf exits the process when there is none)."""
    try:
        return csrf(html)
    except SystemExit:
        return None


class Learner(HttpUser):
    """A dorm informant on a phone: dashboard, case studies, decision points, the quiz."""

    wait_time = between(*WAIT)

    def on_start(self):
        cookies = next(SESSIONS, None)
        if cookies is None:
            raise StopUser()
        for name, value, domain, path in cookies:
            self.client.cookies.set(name, value, domain=domain, path=path)
        self.answered, self.done, self.modules, self.quiz_over = set(), set(), [], False
        OUTCOMES["learners"] += 1
        self.dashboard()

    def page(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200; its HTML, or None (counted as a failure)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as got:
            if got.status_code != 200:
                got.failure(f"HTTP {got.status_code} {got.headers.get('Location', '')}")
                return None
            return got.text

    def post(self, path: str, name: str, form: dict, expect=None, fetch: bool = False) -> str | None:
        """POST a form as the browser does; the redirect's Location (the body when fetched),
        or None when the answer is not the expected one (counted as a failure)."""
        headers = {"X-Requested-With": "fetch"} if fetch else {}
        with self.client.post(path, data=form, name=name, headers=headers, allow_redirects=False,
                              catch_response=True) as got:
            wanted = 200 if fetch else 302
            where = got.text if fetch else got.headers.get("Location", "")
            if got.status_code != wanted or (expect is not None and not expect(where)):
                got.failure(f"HTTP {got.status_code} {got.headers.get('Location', '')}")
                return None
            return where

    @task(2)
    def dashboard(self):
        html = self.page("/", "dashboard")
        if html is not None:
            self.modules = sorted(set(re.findall(r'href="/modules/([a-z0-9-]+)"', html)))

    @task(6)
    def module(self):
        """Open a case study where the learner left it; answer its decision or go on."""
        todo = [slug for slug in self.modules if slug not in self.done] or self.modules
        if not todo:
            return
        slug = random.choice(todo)
        html = self.page(f"/modules/{slug}", "module section")
        if html is None:
            return
        for action, decision in re.findall(r'action="(/modules/[^"]+/decisions/([^"]+))"', html):
            if (slug, decision) not in self.answered:
                options = re.findall(rf'id="choice-{re.escape(decision)}-(\d+)"', html)
                self.answered.add((slug, decision))
                if self.post(action, "decision answer", {
                        "csrf_token": token(html), "choice": random.choice(options)},
                        expect=lambda live: 'id="module-live"' in live, fetch=True) is not None:
                    OUTCOMES["decisions answered"] += 1
                return
        following = re.search(rf'href="(/modules/{slug}\?section=\d+)"[^>]*data-nav="next"', html)
        reach = re.search(rf'action="(/modules/{slug}/sections/\d+)"', html)
        if following:
            self.page(following.group(1).replace("&amp;", "&"), "module section")
        elif reach:
            finish = 'data-nav="finish"' in html
            if self.post(reach.group(1), "next section", {"csrf_token": token(html)}) and finish:
                OUTCOMES["modules completed"] += 1
                self.done.add(slug)
        else:
            self.done.add(slug)

    @task(1)
    def quiz(self):
        """Start (or continue) an attempt, answer LOAD_QUIZ_PAGES pages one by one, then submit."""
        if self.quiz_over:
            return
        html = self.page(f"/quizzes/{QUIZ}", "quiz page")
        if html is None:
            return
        if 'id="no-attempts-left"' in html:
            OUTCOMES["quiz refused: no attempts left"] += 1
            self.quiz_over = True
            return
        where = self.post(f"/quizzes/{QUIZ}/start", "quiz start", {"csrf_token": token(html)},
                          expect=lambda where: "/attempts/" in where)
        if where is None or where.split("?")[0].endswith("/review"):
            return
        attempt = re.search(r"/quizzes/[^?]+/attempts/\d+", where).group(0)
        pages = None
        for number in range(1, 100):
            html = self.page(f"{attempt}?q={number}", "quiz question")
            if html is None:
                return
            pages = pages or min(QUIZ_PAGES, max(int(n) for n in re.findall(r'data-goto="(\d+)"', html)))
            self.wait()  # reading the question
            form = {"csrf_token": token(html), "q": number, "go": number + 1 if number < pages else "finish",
                    "shown": re.search(r'name="shown" value="([^"]*)"', html).group(1), **answer(html)}
            if self.post(attempt, "quiz answer", form) is None or number >= pages:
                break
        if self.post(f"{attempt}/submit", "quiz submit", {"csrf_token": token(html)},
                     expect=lambda where: "/review" in where) is not None:
            OUTCOMES["quizzes submitted"] += 1
            self.page(f"{attempt}/review", "quiz review")


def answer(html: str) -> dict:
    """A learner's answer to the page's question: one radio, some boxes, or an order."""
    form = {}
    radios = re.findall(r'type="radio" name="([^"]+)" id="[^"]+" value="([^"]+)"', html)
    boxes = re.findall(r'type="checkbox" name="([^"]+)" id="[^"]+" value="([^"]+)"', html)
    selects = re.findall(r'<select[^>]*name="([^"]+)"', html)
    if radios:
        name, value = random.choice(radios)
        form[name] = value
    if boxes:
        picked = random.sample(boxes, random.randint(1, len(boxes)))
        form[boxes[0][0]] = [value for _name, value in picked]
    for name, position in zip(selects, random.sample(range(1, len(selects) + 1), len(selects)),
                              strict=True):
        form[name] = position
    return form
