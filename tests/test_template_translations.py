"""Templates translate through a per-request cache (blueprints/i18n.py): it must follow the
reader's language and force_locale() switching it mid-request, as Flask-Babel's own does."""
from flask import render_template_string
from flask_babel import force_locale

PAGE = "{{ _('Sign in') }}|{{ ngettext('%(num)d hour', '%(num)d hours', 2) }}"


def test_a_template_speaks_the_request_language_and_follows_force_locale(app):
    with app.test_request_context("/?lang=zh_CN"):
        assert render_template_string(PAGE).startswith("登录|")
        with force_locale("en"):
            assert render_template_string(PAGE) == "Sign in|2 hours"
        assert render_template_string(PAGE).startswith("登录|")


def test_english_readers_get_english_templates(app):
    with app.test_request_context("/?lang=en"):
        assert render_template_string(PAGE) == "Sign in|2 hours"
        with force_locale("zh_CN"):
            assert render_template_string(PAGE).startswith("登录|")


def test_status_words_are_kept_per_language_and_follow_force_locale(app):
    """blueprints/labels.py translates each map once per language: a Chinese page must not
    leave its words for an English one, and the reverse."""
    badge = "{{ labels_for('quiz_status')['passed'] }}"
    with app.test_request_context("/?lang=zh_CN"):
        assert render_template_string(badge) == "已通过"
        with force_locale("en"):
            assert render_template_string(badge) == "Passed"
        assert render_template_string(badge) == "已通过"
