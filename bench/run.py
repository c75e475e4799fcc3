"""`make bench`: build a province, then time the roster import and the unit API and page.

Runs on a throwaway SQLite database under bench/out/ (or BENCH_DATABASE_URL, which
must be an empty database you can lose). The commands run as an admin would run
them, through `flask --app app …`, so their times include starting Python and Flask.
"""
import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from config import normalise_database_url  # noqa: E402
from extensions import db  # noqa: E402
from models import Role  # noqa: E402
from models import Unit  # noqa: E402
from services import accounts  # noqa: E402
from services.demo_names import person_name  # noqa: E402

HEADERS = ("工号/学号", "姓名", "角色", "单位编码", "邮箱", "手机", "开始日期")
#: the role a new person takes at each kind of unit, by weight
ROLE_AT = {"dorm": ("dorm_informant",), "class": ("class_psych_member", "class_teacher"),
           "college": ("counselor", "subject_teacher", "political_staff",
                       "college_psych_officer"),
           "university": ("mh_teacher", "political_staff"), "building": ("dorm_manager",)}
KIND_WEIGHTS = {"dorm": 70, "class": 20, "college": 8, "university": 1, "building": 1}
FIGURES: list[tuple[str, str, str]] = []
#: the start date of every imported role (the import needs one ≤ today to count them now)
START = date(2026, 9, 1)


def flask(database_url: str, *args: str) -> tuple[float, str]:
    """Run one `flask --app app …` command; return its wall time and output."""
    env = dict(os.environ, DATABASE_URL=database_url)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip()


def figure(what: str, value: str, detail: str = "") -> None:
    """Print a figure now and keep it for the table at the end."""
    FIGURES.append((what, value, detail))
    print(f"  {what}: {value} {detail}", flush=True)


def rates(what: str, rows: int, seconds: float, startup: float, said: str = "") -> None:
    """Rows per second over the whole command, and without Flask's start-up."""
    figure(what, f"{rows / seconds:,.0f} rows/s",
           f"({rows:,} rows in {seconds:.1f} s; {rows / max(seconds - startup, 1e-3):,.0f} rows/s "
           f"after start-up{'; ' + said if said else ''})")


def make_app(database_url: str):
    """The app on the bench database, with CSRF and rate limits off for the test client."""

    class BenchConfig(Config):
        """Production settings on the bench database."""

        SQLALCHEMY_DATABASE_URI = normalise_database_url(database_url)
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def roster_rows(app, count: int, seed: int) -> list[list]:
    """`count` rows for NEW people (numbers B…) at units that exist, one in ten with two roles."""
    rng = random.Random(seed)
    with app.app_context():
        names = dict(db.session.execute(select(Role.code, Role.name)).all())
        units = {kind: db.session.scalars(select(Unit.code).where(Unit.kind == kind)).all()
                 for kind in KIND_WEIGHTS}
    kinds = [k for k in KIND_WEIGHTS if units[k]]
    weights = [KIND_WEIGHTS[k] for k in kinds]
    rows, person = [], 0
    while len(rows) < count:
        person += 1
        number, name = f"B{person:07d}", person_name(rng)
        email = f"b{person:07d}@bench.edu.cn" if rng.random() < 0.5 else ""
        phone = f"139{rng.randrange(10**8):08d}" if rng.random() < 0.3 else ""
        held = set()
        while len(held) < (2 if rng.random() < 0.1 else 1):
            kind = rng.choices(kinds, weights)[0]
            role, unit = rng.choice(ROLE_AT[kind]), rng.choice(units[kind])
            if (role, unit) in held:
                continue
            held.add((role, unit))
            label = names.get(role, role) if rng.random() < 0.5 else role
            rows.append([number, name, label, unit, email, phone, START.isoformat()])
    return rows[:count]


def write_roster(rows: list[list], stem: Path) -> dict[str, Path]:
    """The same rows as CSV (UTF-8 with BOM, as Excel saves it) and as .xlsx."""
    from openpyxl import Workbook

    paths = {"csv": stem.with_suffix(".csv"), "xlsx": stem.with_suffix(".xlsx")}
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("people")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(paths["xlsx"])
    return paths


def largest_university(app) -> str:
    """The code of the university with the most students (summed over its classes)."""
    with app.app_context():
        biggest = (select(Unit.university_id).where(Unit.kind == "class")
                   .group_by(Unit.university_id).order_by(func.sum(Unit.students).desc())
                   .limit(1).scalar_subquery())
        return db.session.scalar(select(Unit.code).where(Unit.id == biggest))


def time_requests(client, path: str, count: int, **kwargs) -> tuple[float, float, int]:
    """Mean and 95th-percentile milliseconds of `count` GETs of `path` (after one warm-up)."""
    status = client.get(path, **kwargs).status_code
    times = []
    for _n in range(count):
        started = time.perf_counter()
        status = client.get(path, **kwargs).status_code
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.mean(times), times[max(0, int(len(times) * 0.95) - 1)], status


def bench_web(app, code: str, count: int) -> None:
    """Time the unit API and the unit page for `code`, as its university's admin."""
    with app.app_context():
        user = accounts.find_login("bench@bench.edu.cn") or accounts.create_user(
            "bench@bench.edu.cn", "基准测试", "bench-password", grant=("admin", code))
        token = accounts.create_token(user, "bench")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    mean, p95, status = time_requests(client, f"/api/v1/units/{code}", count, headers=headers)
    figure(f"GET /api/v1/units/{code}", f"{mean:.1f} ms mean, {p95:.1f} ms p95",
           f"({count} requests, HTTP {status})")
    client.post("/login", data={"username": "bench@bench.edu.cn", "password": "bench-password"})
    mean, p95, status = time_requests(client, f"/units/{code}", count)
    figure(f"GET /units/{code} (page)", f"{mean:.1f} ms mean, {p95:.1f} ms p95",
           f"({count} requests, HTTP {status})")


def main() -> None:
    """Generate, write the roster, time the imports and the unit API and page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        for leftover in OUT.glob("bench.db*"):
            leftover.unlink()
        url = f"sqlite:///{OUT / 'bench.db'}"
    print(f"Database: {url.split('@')[-1]}", flush=True)
    flask(url, "db", "upgrade")
    flask(url, "content", "sync")
    seconds, said = flask(url, "demo", "generate", "--students", str(args.students),
                          "--seed", str(args.seed))
    figure("demo generate", f"{seconds:.1f} s", f"({said})")
    app = make_app(url)
    started = time.perf_counter()
    paths = write_roster(roster_rows(app, args.rows, args.seed), OUT / "people")
    print(f"  (wrote {args.rows:,} roster rows in {time.perf_counter() - started:.1f} s)")
    startup = min(flask(url, "roster", "--help")[0] for _n in range(3))
    figure("flask start-up (included below)", f"{startup:.2f} s")
    for kind in ("csv", "xlsx"):
        seconds, _said = flask(url, "roster", "people", str(paths[kind]), "--dry-run")
        rates(f"roster people --dry-run ({kind})", args.rows, seconds, startup)
    for label in ("import", "re-import, unchanged"):
        seconds, said = flask(url, "roster", "people", str(paths["csv"]))
        rates(f"roster people, {label} (csv)", args.rows, seconds, startup,
              said.splitlines()[0])
    bench_web(app, largest_university(app), args.requests)
    print("\n| what | figure | detail |\n|---|---|---|")
    for what, value, detail in FIGURES:
        print(f"| {what} | {value} | {detail} |")


if __name__ == "__main__":
    main()
