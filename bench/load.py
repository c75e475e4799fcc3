"""`make bench-load`: 200 signed-in learners against gunicorn for 60 s, with Locust (issue 8).

    .venv/bin/python bench/load.py [--users 200] [--seconds 60] [--workers 4]
    .venv/bin/python bench/load.py --users 20 --seconds 10          # quick mode
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/loadbench .venv/bin/python bench/load.py

Builds a throwaway database (OUT/load.db, or the empty BENCH_DATABASE_URL): the
migrations, content/, and a small synthetic province (the service behind `flask demo
generate`) whose dorm informants get one login each. Serves the app under gunicorn
(sync workers, 4 as in README's production section, on a free 127.0.0.1 port) and signs
every learner in through /login (bench/web.py's helpers). Then Locust runs headless for
--seconds (bench/load_locust.py): each simulated learner, with its own session, browses
the dashboard, works through its case studies (reading sections, answering decision
points) and sits the quiz page by page until it submits. Prints requests, failures,
5xx and p50/p95/p99 per kind of request; exits 1 on any 5xx or when no request was
measured (and warns when no decision or no quiz submit was). Everything stays on
loopback and stops by itself.
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import OUT  # noqa: E402
from run import ROOT  # noqa: E402
from run import make_app  # noqa: E402
from web import PASSWORD  # noqa: E402
from web import serve  # noqa: E402
from web import sign_in  # noqa: E402

from services.errors import DomainError  # noqa: E402

LOCUSTFILE = ROOT / "bench" / "load_locust.py"
#: the kinds of request that prove the learners wrote something
WRITES = ("decision answer", "quiz submit")


def prepare(url: str, count: int) -> list[str]:
    """Migrate, sync content/, generate a province with enough dorm informants and give
    `count` of them a login (in this process: three `flask` start-ups cost more than all)."""
    from unittest import mock

    from flask_migrate import upgrade
    from sqlalchemy import select

    from extensions import db
    from models import Assignment
    from models import Person
    from models import Role
    from services import accounts
    from services import passwords
    from services.content import sync_directory
    from services.demo_generate import generate_province
    from services.demo_generate import refresh_statistics

    app = make_app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        sync_directory(app.config["CONTENT_DIR"])
        generate_province(max(2000, count * 10), seed=8, content_dir=app.config["CONTENT_DIR"])
        db.session.commit()
        refresh_statistics()
        people = db.session.execute(
            select(Person.number, Person.name).join(Assignment).join(Role)
            .where(Role.code == "dorm_informant", Assignment.end.is_(None))
            .order_by(Person.number).limit(count)).all()
        if len(people) < count:
            sys.exit(f"only {len(people)} dorm informants to sign in as; {count} wanted")
        emails = [f"learner{n:03d}@load.bench.edu.cn" for n in range(1, count + 1)]
        # one scrypt hash for all (each takes 0.1-0.5 s); signing in still checks it in full
        with mock.patch.object(passwords, "hash_password",
                               return_value=passwords.hash_password(PASSWORD)):
            for email, (number, name) in zip(emails, people, strict=True):
                accounts.create_user(email, name, PASSWORD, person_number=number)
        db.session.commit()
    return emails


def sign_in_all(base: str, emails: list[str], threads: int) -> tuple[list[list], list[float], float]:
    """Every learner signs in through /login before the run, `threads` at a time: their
    session cookies, and the seconds each sign-in took and all of them took."""

    def one(email: str) -> tuple[list, float]:
        started = time.perf_counter()
        browser = sign_in(base, email)
        return ([[c.name, c.value, c.domain, c.path] for c in browser.jar],
                time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        done = list(pool.map(one, emails))
    return [cookies for cookies, _s in done], [s for _c, s in done], time.perf_counter() - started


def run_locust(base: str, args, learners: Path, summary: Path, log: Path) -> None:
    """Locust headless against `base`; it writes its figures to `summary` as it quits."""
    env = dict(os.environ, LOAD_LEARNERS=str(learners), LOAD_SUMMARY=str(summary),
               LOAD_WAIT=f"{args.wait[0]},{args.wait[1]}", LOAD_QUIZ_PAGES=str(args.quiz_pages))
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
               "--host", base, "--only-summary", "--stop-timeout", "5",
               "--exit-code-on-error", "0"]
    with log.open("w") as output:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                              timeout=args.seconds + 300, check=False)
    if done.returncode != 0 or not summary.exists():
        sys.exit(f"locust failed ({done.returncode}); see {log}:\n{log.read_text()[-3000:]}")


def worker_cpu(master: int) -> float:
    """CPU seconds (user + system) the gunicorn master's workers have used so far."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def report(summary: dict, server_log: str) -> int:
    """Print the table; return the exit code: 1 on any 5xx, or when no request was measured."""
    kinds, total = summary["kinds"], summary["total"]
    print(f"\n{summary['users']} learners, {summary['seconds']:.0f} s, "
          f"{total['requests']:,} requests ({total['requests'] / summary['seconds']:.0f}/s), "
          f"{total['failures']} failures, {total['5xx']} answers 5xx")
    print("\n| request | count | failures | 5xx | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(kinds):
        k = kinds[name]
        print(f"| {name} | {k['requests']} | {k['failures']} | {k['5xx']} | {k['p50']:.0f} "
              f"| {k['p95']:.0f} | {k['p99']:.0f} | {k['max']:.0f} |")
    for name, count in sorted(summary["outcomes"].items()):
        print(f"  {name}: {count}")
    for status, count in sorted(total["statuses"].items()):
        print(f"  HTTP {status}: {count}")
    for error, count in sorted(summary["errors"].items(), key=lambda e: -e[1])[:10]:
        print(f"  failure ×{count}: {error}")
    busy = total["statuses"].get("503", 0)
    print(f"  503 'database busy, retry' (SQLite locked past busy_timeout, or PostgreSQL gone): {busy}")
    errors = len(re.findall(r"\[(?:ERROR|CRITICAL)\]", server_log))
    print(f"  gunicorn errors: {errors} (worker timeouts: {server_log.count('WORKER TIMEOUT')})")
    for name in WRITES:
        if kinds.get(name, {}).get("requests", 0) == 0:
            print(f"WARNING: no {name} within the run (the server too slow for this pace?)")
    if total["5xx"] or not total["requests"]:
        print(f"FAILED: {total['5xx']} answers were 5xx" if total["5xx"] else "FAILED: no request")
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated learners (distinct logins)")
    parser.add_argument("--spawn-rate", type=float, default=50, help="learners started per second")
    parser.add_argument("--seconds", type=int, default=60, help="how long Locust runs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="a learner's pause between two requests, in seconds")
    parser.add_argument("--quiz-pages", type=int, default=3,
                        help="quiz pages a learner answers before submitting (the rest count as wrong)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the database and logs go")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        for leftover in args.out.glob("load.db*"):
            leftover.unlink()
        url = f"sqlite:///{args.out / 'load.db'}"
    print(f"Database: {url.split('@')[-1]}; {args.users} learners, {args.seconds} s, "
          f"{args.workers} gunicorn sync workers; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores", flush=True)
    started = time.perf_counter()
    try:
        emails = prepare(url, args.users)
    except DomainError as error:
        sys.exit(f"{error.message} (BENCH_DATABASE_URL must be an empty database)")
    print(f"Prepared the database in {time.perf_counter() - started:.1f} s", flush=True)
    server_log, summary = args.out / "load-gunicorn.log", args.out / "load-summary.json"
    summary.unlink(missing_ok=True)
    env = dict(os.environ, DATABASE_URL=url, LOGIN_RATE_LIMIT="100000 per minute",
               GUNICORN_CMD_ARGS=f"--error-logfile {server_log}")
    server, base = serve("app:create_app()", ROOT, env, workers=args.workers)
    try:
        cpu = worker_cpu(server.pid)
        cookies, seconds, took = sign_in_all(base, emails, args.workers * 2)
        cpu = worker_cpu(server.pid) - cpu
        seconds.sort()
        print(f"{len(emails)} learners signed in through /login in {took:.1f} s, {args.workers * 2} "
              f"at a time (each: p50 {statistics.median(seconds) * 1000:.0f} ms, p95 "
              f"{seconds[int(len(seconds) * 0.95) - 1] * 1000:.0f} ms, server CPU "
              f"{cpu * 1000 / len(emails):.0f} ms: scrypt is meant to be slow)", flush=True)
        learners = args.out / "load-learners.json"
        learners.write_text(json.dumps(cookies))
        cpu, locust_cpu = worker_cpu(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        run_locust(base, args, learners, summary, args.out / "load-locust.log")
        cpu = worker_cpu(server.pid) - cpu
        locust_cpu = sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) - getattr(locust_cpu, f)
                         for f in ("ru_utime", "ru_stime"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = json.loads(summary.read_text())
    code = report(figures, server_log.read_text(errors="replace"))
    requests = max(figures["total"]["requests"], 1)
    print(f"  server CPU: {cpu:.1f} s for {requests:,} requests = {cpu * 1000 / requests:.1f} ms "
          f"a request, {cpu / figures['seconds']:.2f} of {os.cpu_count()} cores on average; "
          f"Locust: {locust_cpu:.1f} s; load average now {os.getloadavg()[0]:.1f}")
    sys.exit(code)


if __name__ == "__main__":
    main()
