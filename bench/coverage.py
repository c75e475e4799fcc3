"""Time coverage (SPEC §5) of a generated province: the province root, its largest
university and one of that university's colleges, through the API and the page, and
the xlsx export of the university.

    .venv/bin/python bench/coverage.py [--students 1500000] [--requests 10]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/coverage.py

By default on a throwaway SQLite file, bench/out/coverage.db, recreated on each run;
BENCH_DATABASE_URL must be an empty database you can lose. `flask content sync` loads
the certification programs first, so `demo generate` certifies most holders. Times are
server time through Flask's test client (no network): mean and 95th percentile.
Targets (issue #7): province root ≤ 300 ms on PostgreSQL, ≤ 600 ms on SQLite; a
university's export ≤ 10 s.
"""
import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import FIGURES  # noqa: E402
from run import OUT  # noqa: E402
from run import figure  # noqa: E402
from run import flask  # noqa: E402
from run import largest_university  # noqa: E402
from run import make_app  # noqa: E402
from run import time_requests  # noqa: E402
from sqlalchemy import select  # noqa: E402

from extensions import db  # noqa: E402
from models import Unit  # noqa: E402
from services import accounts  # noqa: E402


def targets(app) -> dict[str, str]:
    """The province root, the largest university and its first college, by code."""
    university = largest_university(app)
    with app.app_context():
        uni = db.session.scalar(select(Unit).where(Unit.code == university))
        province = db.session.get(Unit, uni.parent_id) if uni.parent_id else None
        college = db.session.scalar(select(Unit.code).where(Unit.parent_id == uni.id,
                                                             Unit.kind == "college")
                                    .order_by(Unit.code).limit(1))
    found = {"college": college, "university": university}
    if province is not None:
        found = {"province": province.code, **found}
    return found


def bench(app, codes: dict[str, str], count: int) -> None:
    with app.app_context():
        user = accounts.create_user("cov@bench.edu.cn", "覆盖率基准", "bench-password",
                                    grant=("superadmin", None))
        token = accounts.create_token(user, "bench")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for level, code in codes.items():
        mean, p95, status = time_requests(client, f"/api/v1/units/{code}/coverage", count,
                                          headers=headers)
        figure(f"coverage API, {level} {code}", f"{mean:.0f} ms mean, {p95:.0f} ms p95",
               f"({count} requests, HTTP {status})")
    client.post("/login", data={"username": "cov@bench.edu.cn", "password": "bench-password"})
    for level, code in codes.items():
        mean, p95, status = time_requests(client, f"/coverage/{code}", count)
        figure(f"coverage page, {level} {code}", f"{mean:.0f} ms mean, {p95:.0f} ms p95",
               f"({count} requests, HTTP {status})")
    started = time.perf_counter()
    response = client.get(f"/coverage/{codes['university']}.xlsx")
    seconds = time.perf_counter() - started
    size = len(response.data)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = sum(sum(1 for _row in sheet.iter_rows()) - 1 for sheet in book.worksheets)
    figure(f"coverage xlsx, university {codes['university']}", f"{seconds:.1f} s",
           f"({rows:,} rows, {size / 1e6:.1f} MB, HTTP {response.status_code})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1_500_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        for leftover in OUT.glob("coverage.db*"):
            leftover.unlink()
        url = f"sqlite:///{OUT / 'coverage.db'}"
    print(f"Database: {url.split('@')[-1]}", flush=True)
    flask(url, "db", "upgrade")
    flask(url, "content", "sync")
    seconds, said = flask(url, "demo", "generate", "--students", str(args.students),
                          "--seed", str(args.seed))
    figure("demo generate", f"{seconds:.1f} s", f"({said})")
    app = make_app(url)
    bench(app, targets(app), args.requests)
    print("\n| what | figure | detail |\n|---|---|---|")
    for what, value, detail in FIGURES:
        print(f"| {what} | {value} | {detail} |")


if __name__ == "__main__":
    main()
