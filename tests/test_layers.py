"""Imports point one way: extensions ← models ← services ← blueprints, cli ← app."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: a layer may import only from the layers listed for it (and from outside the project)
ALLOWED = {
    "extensions": set(),
    "models": {"extensions", "models"},
    "services": {"extensions", "models", "services", "config"},
    "blueprints": {"extensions", "models", "services", "blueprints", "config"},
    "cli": {"extensions", "models", "services", "config"},
}
LAYERS = set(ALLOWED) | {"app", "config"}


def layer_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def project_imports(path: Path) -> set[str]:
    """The top-level project packages a file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & LAYERS


def layered_files():
    for name in ALLOWED:
        target = ROOT / name
        files = [target.with_suffix(".py")] if not target.is_dir() else sorted(target.rglob("*.py"))
        yield from (f for f in files if f.exists())


@pytest.mark.parametrize("path", list(layered_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    layer = layer_of(path)
    wrong = project_imports(path) - ALLOWED[layer] - {layer}
    assert not wrong, f"{path.relative_to(ROOT)} ({layer}) imports {sorted(wrong)}"


def test_the_rule_catches_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from blueprints.auth.views import bp\n")
    assert project_imports(bad) - ALLOWED["services"] == {"blueprints"}
