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


def test_a_name_inside_a_translated_sentence_is_escaped_in_both_languages(app):
    """_('…', name=…) with a literal is compiled to a direct lookup (blueprints/gettext_literals.py)."""
    hello = "{{ _('Hello, %(name)s', name=name) }}"
    with app.test_request_context("/?lang=en"):
        assert render_template_string(hello, name="<b>Li</b>") == "Hello, &lt;b&gt;Li&lt;/b&gt;"
        with force_locale("zh_CN"):
            assert render_template_string(hello, name="<b>Li</b>") == "您好，&lt;b&gt;Li&lt;/b&gt;"


def test_a_literal_translates_wherever_it_is_written(app):
    """In a filter chain, a condition, a macro imported without context, a {% set %}; and a
    msgid held in a variable still translates, through _() itself."""
    page = ("{% macro button() %}{{ _('Sign in') }}{% endmacro %}"
            "{{ _('Sign in') | upper }}|{% if _('Sign in') %}{{ button() }}{% endif %}|"
            "{% set label = _('Sign in') %}{{ label }}|{% set msgid = 'Sign in' %}{{ _(msgid) }}")
    with app.test_request_context("/?lang=en"):
        assert render_template_string(page) == "SIGN IN|Sign in|Sign in|Sign in"
        with force_locale("zh_CN"):
            assert render_template_string(page) == "登录|登录|登录|登录"


def test_percent_signs_and_escaping_are_as_in_jinjas_own_gettext(app):
    """'%%' reads as '%' with or without variables; a variable is escaped only where the
    template escapes (the finished text of a literal is kept per language and escaping)."""
    page = ("{{ _('Best score: %(score)s%%', score='<9>') }}|{{ _('100%% sure') }}|"
            "{% autoescape false %}{{ _('Best score: %(score)s%%', score='<9>') }}|"
            "{{ _('100%% sure') }}{% endautoescape %}")
    with app.test_request_context("/?lang=en"):
        assert render_template_string(page) == "Best score: &lt;9&gt;%|100% sure|Best score: <9>%|100% sure"


def test_a_macro_imported_from_another_template_speaks_the_pages_language(app):
    """An imported macro has no page context, so it finds the language itself."""
    page = "{% from '_macros.html' import import_problems %}{{ import_problems(['row 2'], 1, 'flask x') }}"
    with app.test_request_context("/?lang=zh_CN"):
        assert "请修改文件后重新上传。" in render_template_string(page)
        with force_locale("en"):
            assert "Fix the file and upload it again." in render_template_string(page)
