"""The navbar is rendered once per language and variant (blueprints/navigation.py): each
reader must still get the menu of their own grants, in their own language."""
import re

import pytest


def menu(client, path: str = "/") -> list[str]:
    html = client.get(path).get_data(as_text=True)
    nav = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'class="nav-link" href="[^"]*">([^<]+)</a>', nav)


@pytest.fixture
def people(make_unit, make_user):
    make_unit("U1", name="大学")
    make_user("learner@x.cn")
    make_user("admin@x.cn", grant=("admin", "U1"))
    make_user("trainer@x.cn", grant=("trainer", "U1"))


def test_each_reader_gets_the_menu_of_their_grants(client, auth, people):
    auth.login("learner@x.cn")
    learner = menu(client)
    auth.logout()
    auth.login("admin@x.cn")
    admin = menu(client)
    auth.logout()
    auth.login("trainer@x.cn")
    trainer = menu(client)
    assert "我的培训" in learner and "导入" not in learner and "单位" not in learner
    assert {"单位", "导入", "操作日志", "内容编写"} <= set(admin)
    assert "内容编写" in trainer and "导入" not in trainer
    assert learner != admin != trainer


def test_the_same_menu_in_english_is_english(client, auth, people):
    auth.login("admin@x.cn")
    chinese = menu(client)
    english = menu(client, "/?lang=en")
    assert len(english) == len(chinese) and "导入" in chinese
    assert {"Units", "Import", "Audit log", "Authoring"} <= set(english)
