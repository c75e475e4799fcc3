"""A gunicorn worker stays small (issue 9: ≤ 100 MB): the libraries only some requests or
only the command line need are not loaded by create_app()."""
import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("alembic", "flask_migrate", "fpdf", "PIL", "openpyxl")
PROBE = f"""
import json, sys, types
sys.modules.setdefault("gunicorn", types.ModuleType("gunicorn"))  # as under gunicorn
from app import create_app
create_app()
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def loaded_by_a_worker(tmp_path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          env={"DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}",
                               "SECRET_KEY": "probe", "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_does_not_load_alembic_pdf_or_xlsx_libraries(tmp_path):
    assert loaded_by_a_worker(tmp_path) == []


def test_the_command_line_still_has_its_migrations(runner):
    result = runner.invoke(args=["db", "--help"])
    assert result.exit_code == 0 and "upgrade" in result.output and "backup" in result.output
