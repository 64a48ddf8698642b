"""The platform's languages: zh-CN first, English second, through gettext catalogues.

One catalogue for the whole platform (``services/common/translations``, domain ``messages``),
extracted from the code and the templates and compiled by ``make i18n`` (``make install``
compiles it too, so a fresh checkout has the ``.mo`` files). Flask-Babel reads it; the
ecosystem's machinery, not a dictionary of our own, so translators work on ordinary ``.po``
files and plural forms, dates and numbers follow the locale (Babel's CLDR data).

Which language a request gets: the person's own choice when they made one (the pages keep it,
``CHOSEN`` names where), else the best match for ``Accept-Language``, else zh-CN. Services
behind the gateway read the ``Accept-Language`` the gateway passes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel import Locale, support
from flask import Flask, g, request
from flask_babel import Babel, Domain, get_locale

DIRECTORY = Path(__file__).parent / "translations"
# Babel's names for them; the first is the default.
LOCALES = ("zh_CN", "en")
DEFAULT = LOCALES[0]
# A person's explicit choice for this request, set by the gateway's pages before rendering.
CHOSEN = "chosen_locale"


def negotiated() -> str:
    """The request's language: a choice made for it, else ``Accept-Language``, else zh-CN."""
    chosen = g.get(CHOSEN)
    if chosen in LOCALES:
        return str(chosen)
    return request.accept_languages.best_match(LOCALES, default=DEFAULT) or DEFAULT


class _Catalogue(Domain):  # type: ignore[misc]  # the library has no types
    """Our catalogue for the request's locale, found by the name it is kept under. Babel
    spells zh-CN with its script (``zh_Hans_CN``), and gettext then looks for that or ``zh``,
    never for the ``zh_CN`` directory: without this, every page and message stays English."""

    # Babel's name for each locale -> the catalogue's directory name.
    NAMES = {str(Locale.parse(name)): name for name in LOCALES}

    def get_translations(self) -> support.NullTranslations:
        locale = get_locale()
        if locale is None:
            return support.NullTranslations()
        name = self.NAMES.get(str(locale), str(locale))
        if name not in self.cache:
            self.cache[name] = support.Translations.load(str(DIRECTORY), [name], "messages")
        found: support.NullTranslations = self.cache[name]
        return found


def install(
    app: Flask, timezone: str | None = None, select: Callable[[], str] = negotiated
) -> Babel:
    """Flask-Babel on ``app``, with the platform's catalogue and locale choice; dates are shown
    in ``timezone`` (the organisation's) when given."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(DIRECTORY)
    if timezone:
        app.config["BABEL_DEFAULT_TIMEZONE"] = timezone
    babel = Babel(app, locale_selector=select)
    babel.domain_instance = _Catalogue()
    return babel
