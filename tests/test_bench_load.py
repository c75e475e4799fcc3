"""bench/load.py in quick mode: a few learners under gunicorn on SQLite really write, and see no 5xx."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.sqlite
def test_quick_load_run_answers_decisions_and_submits_quizzes_without_5xx(tmp_path):
    env = {name: value for name, value in os.environ.items() if name != "BENCH_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--users", "5", "--seconds", "12",
         "--workers", "2", "--wait", "0.05", "0.2", "--quiz-pages", "1", "--out", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads((tmp_path / "load-summary.json").read_text())
    kinds = summary["kinds"]
    assert summary["users"] == 5
    assert summary["total"]["5xx"] == 0
    assert summary["total"]["failures"] == 0, summary["errors"]
    assert summary["outcomes"]["decisions answered"] == kinds["decision answer"]["requests"] > 0
    assert summary["outcomes"]["quizzes submitted"] == kinds["quiz submit"]["requests"] > 0
    assert kinds["dashboard"]["p95"] > 0
    assert "| quiz submit |" in done.stdout and "| decision answer |" in done.stdout
