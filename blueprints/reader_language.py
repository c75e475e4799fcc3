"""The reader's language as templates use it, found once per request and locale.

A page asks for the locale, its catalogue or a translated string dozens of times, and
Flask-Babel looks each of them up again through its contexts. This keeps what it found
beside Flask-Babel's own state for the request (g._flask_babel), keyed by the locale
object, so force_locale() — which swaps that object — switches it too.
"""
from typing import NamedTuple
from weakref import WeakKeyDictionary

from babel import Locale
from babel.support import NullTranslations
from flask import g
from flask_babel import get_locale
from flask_babel import get_translations

#: per catalogue, what is made from it alone: a catalogue is loaded once per process, so
#: every request in its language can share these
_KEPT: WeakKeyDictionary = WeakKeyDictionary()


class Language(NamedTuple):
    """What templates need of the reader's language."""

    locale: Locale | None
    #: str(locale): "en", "zh_Hans_CN"
    code: str
    translations: NullTranslations
    #: what is made from the catalogue alone, for every request in this language (_KEPT):
    #: the finished texts of templates' literal _('…') (blueprints/i18n.py), the status
    #: words (blueprints/labels.py)
    kept: dict


def current_language() -> Language:
    """The current request's language, following force_locale()."""
    state = g.get("_flask_babel")
    if state is not None:
        found = getattr(state, "shouwang_language", None)
        if found is not None and found.locale is getattr(state, "babel_locale", None):
            return found
    translations = get_translations()
    locale = get_locale()
    kept = _KEPT.get(translations)
    if kept is None:
        kept = _KEPT[translations] = {}
    language = Language(locale, str(locale), translations, kept)
    state = g.get("_flask_babel")
    if state is not None:
        state.shouwang_language = language
    return language
