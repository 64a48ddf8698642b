"""The platform's gettext catalogue (services/common/i18n.py) says everything the code says, in
Chinese: every message the code and templates mark is in both catalogues (``make i18n`` was
run), none is left that the code no longer says, and zh-CN has a translation for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.common import i18n

ROOT = Path(__file__).resolve().parents[2]


def said_in_the_code() -> set[str]:
    with (ROOT / "babel.cfg").open() as config:
        methods, options = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, methods, options, keywords=keywords
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def catalogue(locale: str) -> dict[str, object]:
    path = i18n.DIRECTORY / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        read = read_po(po)
    # A plural message is held under its singular and its plural id alike (both are said).
    ids = ((m, [m.id] if isinstance(m.id, str) else list(m.id)) for m in read if m.id)
    return {one: m.string for m, many in ids for one in many}


@pytest.fixture(scope="module")
def said() -> set[str]:
    return said_in_the_code()


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_the_catalogue_holds_what_the_code_says_and_nothing_else(
    said: set[str], locale: str
) -> None:
    held = set(catalogue(locale))
    assert not said - held, f"run `make i18n`: {sorted(said - held)[:10]}"
    assert not held - said, f"no longer said (run `make i18n`): {sorted(held - said)[:10]}"


def test_every_message_has_its_chinese(said: set[str]) -> None:
    chinese = catalogue("zh_CN")
    missing = sorted(m for m in said if not _translated(chinese.get(m)))
    assert not missing, f"{len(missing)} without a zh-CN translation: {missing[:10]}"


def _translated(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)
