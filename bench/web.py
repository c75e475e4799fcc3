"""`make bench-web`: the learner's pages and writes under gunicorn, against bare Flask (issue 9).

    .venv/bin/python bench/web.py [--duration 10] [--connections 16] [--threads 2]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/web.py

Builds the demo university in a throwaway SQLite file, bench/out/web.db (or the empty
BENCH_DATABASE_URL), serves the app and bench/hello_app.py each under gunicorn (2 sync
workers, 127.0.0.1, a free port), signs in as the demo informant once (the login rate
limit then never matters) and drives each endpoint with `wrk --latency` on loopback,
alternating the bare "hello" app and the app twice so that machine noise shows. Prints
req/s, p50 and p99 per endpoint, the ratio to bare Flask's req/s in the same round and
the RSS of the app's workers after the run. Needs `wrk` (Debian: apt-get install -y wrk).
"""
import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import FIGURES  # noqa: E402
from run import OUT  # noqa: E402
from run import ROOT  # noqa: E402
from run import figure  # noqa: E402
from run import flask  # noqa: E402

BENCH = ROOT / "bench"
LEARNER = "informant@demo.edu.cn"
API_USER = "trainer@demo.edu.cn"
PASSWORD = "demo1234"
MODULE = "roommate-joke"
QUIZ = "informant-recognition"
API_UNIT = "DEMO-U"
#: stands for the learner's session cookie, read afresh before each wrk run (Browser.headers)
LEARNER_COOKIE = ["Cookie: (the learner's)"]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(target: str, cwd: Path, env: dict, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """gunicorn with `workers` sync workers on a free loopback port; wait until it answers."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen([gunicorn, "--workers", str(workers), "--worker-class", "sync",
                                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
                               cwd=cwd, env=env)
    base = f"http://127.0.0.1:{port}"
    for _n in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return process, base
        except urllib.error.HTTPError:
            return process, base
        except OSError:
            if process.poll() is not None:
                sys.exit(f"gunicorn {target} exited with {process.returncode}")
            time.sleep(0.1)
    process.terminate()
    sys.exit(f"gunicorn {target} did not answer on {base}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and urllib, enough to sign in and fill a form (no `requests`)."""

    def __init__(self, base: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def call(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location) of one GET, or POST when form is given."""
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")

    def get(self, path: str) -> str:
        status, body, _where = self.call(path)
        if status != 200:
            sys.exit(f"GET {path} answered {status}")
        return body

    def headers(self) -> list[str]:
        """The session cookie as a browser would send it now. The app rewrites the cookie
        when the last-seen time it holds is a minute old (blueprints/session_limits.py); a
        browser keeps the new one, wrk would replay the old one and make every request a
        rewrite. So the cookie is refreshed by one GET before each wrk run."""
        self.get("/")
        return ["Cookie: " + "; ".join(f"{c.name}={c.value}" for c in self.jar)]


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if found is None:
        sys.exit("no CSRF token in the page")
    return found.group(1)


def sign_in(base: str, email: str) -> Browser:
    browser = Browser(base)
    token = csrf(browser.get("/login"))
    status, body, where = browser.call("/login", {"csrf_token": token, "username": email,
                                                  "password": PASSWORD})
    if status != 302 or "password" in where:
        sys.exit(f"signing in as {email} failed ({status} → {where or body[:300]})")
    return browser


def prepare_writes(browser: Browser) -> dict[str, tuple[str, str]]:
    """The wrk POSTs: a decision answer, a quiz page save (open attempt) and a quiz submit
    (an attempt submitted here once, so every request is an idempotent resubmit)."""
    page = browser.get(f"/modules/{MODULE}?section=1")
    action = re.search(r'action="([^"]*/decisions/[^"]+)"', page)
    if action is None:
        sys.exit(f"no decision point on section 1 of {MODULE}")
    decision = (action.group(1), urllib.parse.urlencode({"csrf_token": csrf(page), "choice": 1}))
    posts = {"decision": decision}
    for name in ("submit", "save"):
        status, body, where = browser.call(f"/quizzes/{QUIZ}/start", {"csrf_token": csrf(page)})
        attempt = re.search(r"/attempts/(\d+)", where)
        if status != 302 or attempt is None:
            sys.exit(f"starting {QUIZ} failed ({status} → {where or body[:300]})")
        path = f"/quizzes/{QUIZ}/attempts/{attempt.group(1)}"
        if name == "submit":
            posts[name] = (path + "/submit", urllib.parse.urlencode({"csrf_token": csrf(page)}))
            status, body, where = browser.call(path + "/submit", {"csrf_token": csrf(page)})
            if status != 302 or "review" not in where:
                sys.exit(f"submitting {path} failed ({status} → {where or body[:300]})")
            continue
        for number in range(1, 50):  # the first page whose question is single-choice
            html = browser.get(f"{path}?q={number}")
            radio = re.search(r'<input[^>]*type="radio"[^>]*>', html)
            if radio:
                field = re.search(r'name="([^"]+)"', radio.group(0)).group(1)
                value = re.search(r'value="([^"]+)"', radio.group(0)).group(1)
                shown = re.search(r'name="shown" value="([^"]*)"', html).group(1)
                form = {"csrf_token": csrf(html), "shown": shown, "q": number, "go": "stay",
                        field: value}
                posts[name] = (path, urllib.parse.urlencode(form))
                break
        else:
            sys.exit(f"no single-choice question in {path}")
    for what, (path, body) in posts.items():  # each once, so a broken form shows now
        status, answer, where = browser.call(path, dict(urllib.parse.parse_qsl(body)))
        if status not in (200, 302):
            sys.exit(f"the {what} POST {path} answered {status}: {answer[:300]}")
    return posts


#: issue 9's targets: the lowest ratio to bare Flask each may reach
TARGETS = {"dashboard": 0.10, "module section": 0.10, "JSON API": 0.20,
           "decision answer": 0.04, "quiz submit": 0.04}


def verdict(name: str, runs: list) -> str:
    """" (target ≥ 0.10: met)" when every round reached the target, else "NOT met"."""
    if name not in TARGETS:
        return ""
    met = all(got["rps"] / base["rps"] >= TARGETS[name] for got, base in runs)
    return f" (target ≥ {TARGETS[name]:.2f}: {'met' if met else 'NOT met'})"


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def drive(url: str, args, headers: list[str], body: str | None = None) -> dict:
    """One wrk run: req/s, p50 and p99 in ms, and how many answers were not 2xx/3xx."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
               "--latency"]
    for header in headers:
        command += ["-H", header]
    env = dict(os.environ)
    if body is not None:
        command += ["-s", str(BENCH / "web_post.lua")]
        env["BENCH_BODY"] = body
    output = subprocess.run(command + [url], capture_output=True, text=True, env=env,
                            check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
            "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
            "bad": int(bad.group(1)) if bad else 0, "errors": errors.group(1) if errors else ""}


def worker_rss(master: int) -> list[int]:
    """VmRSS in kB of each child of the gunicorn master."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        if found:
            sizes.append(int(found.group(1)))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="hello/app alternations")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/web.py needs wrk on the PATH (Debian: sudo apt-get install -y wrk)")
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        for leftover in OUT.glob("web.db*"):
            leftover.unlink()
        url = f"sqlite:///{OUT / 'web.db'}"
    print(f"Database: {url.split('@')[-1]}", flush=True)
    for command in (("db", "upgrade"), ("content", "sync"), ("demo", "load")):
        flask(url, *command)
    token = flask(url, "tokens", "create", API_USER, "--name", "bench-web")[1].splitlines()[-1]
    env = dict(os.environ, DATABASE_URL=url, DEMO_MODE="1")
    app, app_base = serve("app:create_app()", ROOT, env)
    hello, hello_base = serve("hello_app:app", BENCH, env)
    try:
        browser = sign_in(app_base, LEARNER)
        posts = prepare_writes(browser)
        cookie = LEARNER_COOKIE
        endpoints = [
            ("dashboard", "GET /", "/", cookie, None),
            ("module section", f"GET /modules/{MODULE}?section=1", f"/modules/{MODULE}?section=1",
             cookie, None),
            ("quiz page", f"GET /quizzes/{QUIZ}", f"/quizzes/{QUIZ}", cookie, None),
            ("JSON API", f"GET /api/v1/units/{API_UNIT} (trainer token)", f"/api/v1/units/{API_UNIT}",
             [f"Authorization: Bearer {token}"], None),
            ("decision answer", "POST the same choice again (first choice kept)",
             posts["decision"][0], cookie, posts["decision"][1]),
            ("quiz save", "POST one page's answer to an open attempt (a real save each time)",
             posts["save"][0], cookie, posts["save"][1]),
            ("quiz submit", "POST submit to a submitted attempt (idempotent resubmit)",
             posts["submit"][0], cookie, posts["submit"][1]),
        ]
        for name, _what, path, headers, body in endpoints:  # the headers alone must do
            headers = browser.headers() if headers is LEARNER_COOKIE else headers
            if body is None:
                request = urllib.request.Request(app_base + path, headers=dict(
                    header.split(": ", 1) for header in headers))
                try:
                    status = urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
                except urllib.error.HTTPError as error:
                    status = error.code
                if status != 200:
                    sys.exit(f"{name}: GET {path} answered {status} with the bench's headers")
        print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
              f"{args.rounds} rounds of bare Flask then the app", flush=True)
        results: dict[str, list[tuple[dict, dict]]] = {name: [] for name, *_rest in endpoints}
        for round_ in range(1, args.rounds + 1):
            base = drive(hello_base + "/", args, [])
            print(f"round {round_}: bare Flask {base['rps']:,.0f} req/s, p50 {base['p50']:.2f} ms, "
                  f"p99 {base['p99']:.2f} ms", flush=True)
            results.setdefault("bare Flask", []).append((base, base))
            for name, _what, path, headers, body in endpoints:
                headers = browser.headers() if headers is LEARNER_COOKIE else headers
                got = drive(app_base + path, args, headers, body)
                results[name].append((got, base))
                trouble = f"; {got['bad']} non-2xx/3xx" if got["bad"] else ""
                trouble += f"; socket errors {got['errors']}" if got["errors"] else ""
                print(f"  {name}: {got['rps']:,.0f} req/s, p50 {got['p50']:.2f} ms, "
                      f"p99 {got['p99']:.2f} ms, ratio {got['rps'] / base['rps']:.3f}{trouble}",
                      flush=True)
        rss = worker_rss(app.pid)
    finally:
        for process in (app, hello):
            process.terminate()
            process.wait(timeout=30)
    print()
    for name, what, *_rest in [("bare Flask", 'GET / of bench/hello_app.py → "hello"')] + endpoints:
        runs = results[name]
        rps = " / ".join(f"{got['rps']:,.0f}" for got, _base in runs)
        ratios = " / ".join(f"{got['rps'] / base['rps']:.3f}" for got, base in runs)
        p50 = " / ".join(f"{got['p50']:.1f}" for got, _base in runs)
        p99 = " / ".join(f"{got['p99']:.1f}" for got, _base in runs)
        bad = sum(got["bad"] for got, _base in runs)
        figure(name, f"{rps} req/s", f"ratio {ratios}{verdict(name, runs)}; p50 {p50} ms; "
               f"p99 {p99} ms; {what}" + (f"; {bad} non-2xx/3xx" if bad else ""))
    figure("app worker RSS", f"{max(rss) / 1024:.0f} MB" if rss else "?",
           ("(target ≤ 100 MB: " + ("met" if rss and max(rss) <= 100 * 1024 else "NOT met") + ") ")
           + "(" + ", ".join(f"{kb / 1024:.0f} MB" for kb in rss) + " VmRSS of the gunicorn workers)")
    print("\n| what | figure | detail |\n|---|---|---|")
    for what, value, detail in FIGURES:
        print(f"| {what} | {value} | {detail} |")


if __name__ == "__main__":
    main()
