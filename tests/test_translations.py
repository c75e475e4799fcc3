"""The Chinese interface is complete: every string is translated, the catalogue is up to
date with the code, placeholders survive translation, and pages speak Chinese by default."""
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.import_files import UNIT_HEADERS
from tests.import_files import csv_bytes

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    "zh": ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po",
    "en": ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po",
}
#: the same keywords and skipped folders as the extract command in the README
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
SKIPPED = {".venv", "bench", "tests", "migrations", "node_modules"}
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdrfi%])")


def load(name: str):
    with CATALOGUES[name].open("rb") as source:
        return read_po(source)


def entries(catalog):
    return [m for m in catalog if m.id]


def key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def extracted() -> set[str]:
    """Every msgid the code and templates use now (singular form for plurals)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)

    def keep(path: str) -> bool:
        return not any(part in SKIPPED or part.startswith(".") for part in Path(path).relative_to(ROOT).parts)

    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=keep):
        found.add(message if isinstance(message, str) else message[0])
    return found


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted((name or "", kind) for name, kind in PLACEHOLDER.findall(text) if kind != "%")


def test_every_chinese_entry_is_translated_and_none_is_fuzzy():
    catalog = load("zh")
    untranslated = [key(m) for m in entries(catalog)
                    if not all((m.string,) if isinstance(m.string, str) else m.string)]
    assert untranslated == []
    assert [key(m) for m in entries(catalog) if m.fuzzy] == []
    assert len(entries(catalog)) > 200


def test_the_catalogues_cover_every_string_in_the_code():
    """A new _("…") without a translation fails here: run the extract and update
    commands of the README, then translate the new entries in zh_Hans_CN."""
    used = extracted()
    assert "Sign in" in used and "Required roles" in used  # the extraction found both kinds of file
    for name in CATALOGUES:
        known = {key(m) for m in entries(load(name))}
        assert sorted(used - known) == [], f"{name} catalogue is out of date"


def test_placeholders_survive_translation():
    for message in entries(load("zh")):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = placeholders(ids[-1]) if len(ids) > 1 else placeholders(ids[0])
        for string in strings:
            assert placeholders(string) == expected, key(message)


def test_the_catalogues_pass_babels_own_checks():
    for name in CATALOGUES:
        problems = [(key(m), [str(e) for e in errors]) for m, errors in load(name).check()]
        assert problems == [], name


def test_the_sign_in_page_is_chinese_until_english_is_chosen(client, auth):
    html = client.get("/login").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-3\">登录</h1>" in html and "工号/学号" in html
    assert "Sign in" not in html
    response = auth.post("/language/en", {"next": "/login"})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert "Sign in" in html and "登录" not in html


def test_form_errors_are_chinese(client, auth):
    html = auth.post("/login", {"username": "", "password": ""}).get_data(as_text=True)
    assert "该字段是必填字段" in html


def test_a_superadmin_dashboard_has_chinese_navigation(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn")
    html = client.get("/").get_data(as_text=True)
    for label in ("我的培训", "单位", "人员", "导入", "操作日志", "退出登录", "心理援助热线"):
        assert label in html
    assert "Units" not in html and "Sign out" not in html


def test_unit_kinds_and_dates_read_as_chinese(client, auth, make_user, make_unit, make_person):
    university = make_unit("U1", name="示例大学")
    college = make_unit("C1", "college", university, name="心理学院")
    make_person("T001", name="王老师", role="counselor", unit=college)
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn")
    html = client.get("/units/U1").get_data(as_text=True)
    assert "U1 · 学校" in html and ">学院<" in html
    assert "university" not in html.split("<main")[1]
    html = client.get("/people/T001").get_data(as_text=True)
    assert "2026年9月1日 – 至今" in html


def test_import_problems_keep_their_english_prefix_and_speak_chinese(client, auth, make_user, roles):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn")
    rows = [UNIT_HEADERS, ["U1", "大学", "university", "", ""], ["K1", "一班", "class", "U1", ""]]
    response = auth.post("/import", {"kind": "units", "file": (io.BytesIO(csv_bytes(rows)), "units.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<li>row 3, column parent: 班级必须隶属于学院（U1 是学校）</li>" in html
    assert "发现 1 个问题，未写入任何数据。" in html


@pytest.mark.parametrize("lang, message", [
    ("zh_CN.UTF-8", "密码至少需要 8 个字符。"),
    ("C.UTF-8", "The password must have at least 8 characters."),
])
def test_the_command_line_follows_lang(app, runner, monkeypatch, lang, message):
    monkeypatch.setenv("LANG", lang)
    with app.app_context():  # a fresh context: the locale is chosen once per context
        result = runner.invoke(args=["users", "create", "a@example.edu.cn", "--name", "A",
                                     "--password", "short"])
    assert result.exit_code == 1
    assert message in result.stderr
