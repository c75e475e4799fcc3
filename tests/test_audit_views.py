"""The audit log: every sign-in and change, readable by superadmins only."""
import pytest


def test_superadmin_sees_failed_and_successful_sign_ins(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn", "wrong-password")
    auth.login("root@example.edu.cn")
    html = client.get("/audit").get_data(as_text=True)
    assert "auth.login_failed" in html
    assert "auth.login" in html
    assert "grant.added" in html


def test_audit_log_filters_by_action(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("nobody@example.edu.cn", "whatever-password")
    auth.login("root@example.edu.cn")
    html = client.get("/audit?action=auth.login_failed").get_data(as_text=True)
    assert "nobody@example.edu.cn" in html
    assert "grant.added</code>" not in html


@pytest.mark.parametrize("grant", [None, ("admin", "U1"), ("auditor", "U1")])
def test_only_superadmins_see_the_audit_log(client, auth, make_user, make_unit, grant):
    make_unit("U1")
    make_user("someone@example.edu.cn", grant=grant)
    auth.login("someone@example.edu.cn")
    assert client.get("/audit").status_code == 404


def test_command_line_changes_are_labelled_as_such(client, auth, runner, make_user, make_unit):
    make_unit("U1")
    make_user("root@example.edu.cn", grant=("superadmin", None))
    runner.invoke(args=["users", "create", "new@example.edu.cn", "--name", "新人",
                        "--password", "long-enough-1", "--admin-of", "U1"])
    auth.login("root@example.edu.cn")
    html = client.get("/audit?action=grant.added&lang=en").get_data(as_text=True)
    assert "(command line)" in html
