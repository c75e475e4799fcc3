"""Every asset is served locally: campus intranets block CDNs."""
import re
from pathlib import Path

from tests.conftest import ROOT

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def templates():
    return [p for p in ROOT.rglob("*.html") if ".venv" not in p.parts]


def test_no_template_loads_anything_from_another_host():
    offenders = [str(p.relative_to(ROOT)) for p in templates() if EXTERNAL.search(p.read_text())]
    assert offenders == []


def test_the_login_page_loads_only_local_assets_that_exist(client):
    html = client.get("/login").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith("bootstrap.min.css") for a in assets)
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200, asset


def test_pages_declare_a_phone_viewport(client):
    assert 'name="viewport" content="width=device-width' in client.get("/login").get_data(as_text=True)


def test_the_pattern_catches_a_cdn(tmp_path: Path):
    assert EXTERNAL.search('<script src="https://cdn.example.com/x.js"></script>')
    assert not EXTERNAL.search('<script src="/static/js/app.js"></script>')
