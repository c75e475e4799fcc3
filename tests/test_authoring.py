"""Trainers write case studies in the browser: editor, validation, versions, preview, export."""
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Module
from models import ModuleVersion
from services import authoring

SOURCE = """---
title: 夜里的电话
summary: 深夜接到室友的求助。
roles: [dorm_informant]
competencies: [intervention]
hours: 1
version: 1
---
## 发生了什么

凌晨一点，室友说他很难受。

```decision
id: first
prompt: 你首先会？
options:
  - text: 陪着他，并立即联系辅导员
    correct: true
    feedback: 正确：不让他独处，并及时报告。
  - text: 让他先睡一觉
    correct: false
    feedback: 不要等待，请陪伴并报告。
```
"""

#: the decision's second option has no feedback (line 22 of the file)
BAD_SOURCE = SOURCE.replace("    feedback: 不要等待，请陪伴并报告。\n", "")

XSS = """---
title: x
---
<script>alert(1)</script>
<img src=x onerror=alert(1)>
[click](javascript:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<svg onload=alert(1)><a href="jav&#x61;script:alert(1)">x</a></svg>

```decision
id: d1
prompt: "<script>alert(2)</script><img src=x onerror=alert(2)>"
options:
  - text: "<b onmouseover=alert(3)>a</b>"
    correct: true
    feedback: "<iframe src=javascript:alert(4)>"
  - text: b
    correct: false
    feedback: "<a href='javascript:alert(5)'>c</a>"
```
"""


@pytest.fixture
def people(make_unit, make_user, make_person):
    uni = make_unit("U1")
    learner = make_person("S1", role="dorm_informant", unit=uni)
    return {
        "trainer": make_user("trainer@x.cn", grant=("trainer", "U1")),
        "admin": make_user("admin@x.cn", grant=("admin", "U1")),
        "auditor": make_user("auditor@x.cn", grant=("auditor", "U1")),
        "learner": make_user("learner@x.cn", person=learner),
    }


def csrf(client, path="/author/modules/new") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


class Executable(HTMLParser):
    """Collects whatever in a piece of HTML could run: tags, handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "svg", "math", "object", "embed", "style", "form"):
            self.found.append(tag)
        for name, value in attrs:
            url = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def executable(html: str) -> list[str]:
    parser = Executable()
    parser.feed(html)
    return parser.found


def versions(slug: str) -> list[ModuleVersion]:
    return list(db.session.scalars(select(ModuleVersion).join(ModuleVersion.module)
                                   .where(Module.slug == slug).order_by(ModuleVersion.version)))


def test_trainer_creates_a_module_in_the_browser_and_sees_it_listed(people, client, auth):
    auth.login("trainer@x.cn")
    page = client.get("/author/modules/new").get_data(as_text=True)
    assert "```decision" in page and 'name="source"' in page
    response = auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE,
                                                 "save": "1"})
    assert response.headers["Location"].endswith("/author/modules/night-call/edit")
    [version] = versions("night-call")
    assert (version.version, version.title, version.roles) == (1, "夜里的电话", ["dorm_informant"])
    assert version.module.current_version_id == version.id
    assert version.created_by_id == people["trainer"].id
    assert db.session.scalar(select(AuditEvent.target_id).where(
        AuditEvent.action == "module.saved")) == "night-call"
    listing = client.get("/author/modules").get_data(as_text=True)
    assert "夜里的电话" in listing and "night-call" in listing
    assert "/modules/night-call" in listing and "/author/modules/night-call/stats" in listing
    assert "夜里的电话" in client.get("/author/modules?q=电话").get_data(as_text=True)
    assert "夜里的电话" not in client.get("/author/modules?q=nothing").get_data(as_text=True)


def test_a_bad_source_shows_line_numbered_problems_and_writes_nothing(people, client, auth):
    auth.login("trainer@x.cn")
    response = auth.post("/author/modules/new", {"slug": "night-call", "source": BAD_SOURCE,
                                                 "save": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"line \d+: ", page)
    assert "陪着他，并立即联系辅导员" in page  # the text is kept in the editor
    assert db.session.scalar(select(Module)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "module.saved")) is None


def test_a_taken_or_malformed_slug_is_refused(people, client, auth):
    auth.login("trainer@x.cn")
    auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE, "save": "1"})
    again = auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE + "x",
                                              "save": "1"})
    assert again.status_code == 422 and "night-call" in again.get_data(as_text=True)
    bad = auth.post("/author/modules/new", {"slug": "Night Call", "source": SOURCE, "save": "1"})
    assert bad.status_code == 422
    assert [v.version for v in versions("night-call")] == [1]


def test_saving_again_makes_version_two_and_keeps_the_first(people, client, auth):
    auth.login("trainer@x.cn")
    auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE, "save": "1"})
    edited = SOURCE.replace("凌晨一点", "凌晨两点")
    response = auth.post("/author/modules/night-call/edit",
                         {"source": edited, "requires_recompletion": "y", "save": "1"},
                         follow_redirects=True)
    assert "2" in response.get_data(as_text=True)
    first, second = versions("night-call")
    assert (first.version, second.version) == (1, 2)
    assert "凌晨一点" in first.source and not first.requires_recompletion
    assert "凌晨两点" in second.source and "version: 2" in second.source
    assert second.requires_recompletion
    assert second.module.current_version_id == second.id
    editor = client.get("/author/modules/night-call/edit").get_data(as_text=True)
    assert "凌晨两点" in editor


def test_the_editor_without_javascript_previews_below_without_saving(people, client, auth):
    auth.login("trainer@x.cn")
    response = auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE,
                                                 "preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "凌晨一点，室友说他很难受。" in page and "不要等待，请陪伴并报告。" in page
    assert db.session.scalar(select(Module)) is None


def test_live_preview_renders_sanitised_html(people, client, auth):
    auth.login("trainer@x.cn")
    token = csrf(client)
    good = client.post("/author/preview", data={"source": SOURCE, "slug": "night-call"},
                       headers={"X-CSRFToken": token}).get_json()
    assert good["problems"] == [] and "凌晨一点" in good["html"] and "发生了什么" in good["html"]
    response = client.post("/author/preview", data={"source": XSS, "slug": "x"},
                           headers={"X-CSRFToken": token})
    html = response.get_json()["html"]
    assert "<script" not in html.lower() and "alert(2)" in html  # shown as text, inert
    assert executable(html) == []
    bad = client.post("/author/preview", data={"source": BAD_SOURCE},
                      headers={"X-CSRFToken": token}).get_json()
    assert bad["html"] == "" and re.match(r"line \d+: ", bad["problems"][0])
    assert client.post("/author/preview", data={"source": SOURCE}).status_code == 400


@pytest.mark.parametrize("who", ["learner", "auditor"])
def test_only_trainers_and_admins_author(people, client, auth, who):
    authoring.save_module("night-call", SOURCE, by=people["trainer"])
    db.session.commit()
    auth.login(f"{who}@x.cn")
    for path in ("/author/modules", "/author/modules/new", "/author/modules/night-call/edit",
                 "/author/modules/night-call/stats", "/author/modules/night-call/export"):
        assert client.get(path).status_code == 404, path
    assert auth.post("/author/preview", {"source": SOURCE}).status_code == 404
    assert auth.post("/author/modules/night-call/edit",
                     {"source": SOURCE + "x", "save": "1"}).status_code == 404
    assert len(versions("night-call")) == 1
    assert "/author/modules" not in client.get("/").get_data(as_text=True)


def test_the_anonymous_are_sent_to_sign_in(people, client):
    response = client.get("/author/modules/new")
    assert "/login" in response.headers["Location"]


def test_an_admin_authors_too_and_sees_the_menu(people, client, auth):
    auth.login("admin@x.cn")
    assert "/author/modules" in client.get("/").get_data(as_text=True)
    assert client.get("/author/modules").status_code == 200


def test_export_downloads_the_source_that_sync_reads_back_unchanged(people, client, auth,
                                                                    runner, tmp_path):
    auth.login("trainer@x.cn")
    auth.post("/author/modules/new", {"slug": "night-call", "source": SOURCE, "save": "1"})
    auth.post("/author/modules/night-call/edit",
              {"source": SOURCE.replace("凌晨一点", "凌晨两点"), "save": "1"})
    response = client.get("/author/modules/night-call/export")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'attachment; filename="night-call.md"' == response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "凌晨两点" in text and "version: 2" in text
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "night-call.md").write_text(text, encoding="utf-8")
    result = runner.invoke(args=["content", "sync", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, unchanged 1" in result.output
    assert [v.version for v in versions("night-call")] == [1, 2]


def test_unknown_modules_and_versions_answer_404(people, client, auth):
    auth.login("trainer@x.cn")
    assert client.get("/author/modules/nope/edit").status_code == 404
    assert client.get("/author/modules/nope/export").status_code == 404
    assert client.get("/author/modules/nope/stats").status_code == 404


def test_the_starter_text_saves_as_it_is(people):
    version = authoring.save_module("starter", authoring.new_module_template(),
                                    by=people["trainer"])
    assert version.version == 1 and version.title
