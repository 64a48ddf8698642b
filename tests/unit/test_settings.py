"""The README's configuration table held against the settings object, and the other way round.

Every variable the settings read is in the table, every variable in the table is read, and
each default the table gives is the one the code uses. The variables only tests and the bench
read are named in the paragraph under the table and are not settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from deploy.processes import web_processes
from services.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")
BACKTICKED = re.compile(r"`([^`]*)`")
# Direct reads of the environment; only the settings read it (their callers pass it on whole).
DIRECT_READ = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]*)""")


class Recording(Mapping[str, str]):
    """An environment that notes every variable asked for."""

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        self.asked.add(str(name))
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def configuration_section() -> tuple[list[tuple[list[str], str]], str]:
    """The table's rows (variables, default cell) and the paragraph under the table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows, after = [], []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and NAME.search(cells[0]):
            rows.append((NAME.findall(cells[0]), cells[1]))
        elif rows and not line.startswith("|"):
            after.append(line)
    return rows, "\n".join(after)


ROWS, PARAGRAPH = configuration_section()
DOCUMENTED = {name for names, _ in ROWS for name in names}


def test_the_table_was_found() -> None:
    assert len(ROWS) > 10 and "DATABASE_URL" in DOCUMENTED


def test_every_variable_the_settings_read_is_documented_and_every_documented_one_is_read() -> None:
    env = Recording()
    Settings.from_env(env)
    assert env.asked - DOCUMENTED == set(), "read but not in the README's table"
    assert DOCUMENTED - env.asked == set(), "in the README's table but never read"


def test_test_only_variables_are_named_under_the_table_and_are_not_settings() -> None:
    test_only = set(NAME.findall(PARAGRAPH)) - DOCUMENTED  # it may mention a setting too
    assert {"TEST_DATABASE_URL", "TEST_REDIS_URL", "FUZZ_SECONDS", "BENCH_SCALE"} <= test_only
    env = Recording()
    Settings.from_env(env)
    assert test_only & env.asked == set()
    read_by_tests = {
        name
        for folder in ("tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        for name in DIRECT_READ.findall(path.read_text())
    }
    assert read_by_tests - test_only - DOCUMENTED == set(), "read by tests, documented nowhere"


# The modules that read the environment: the settings, and nothing else.
READERS = {"services/common/config.py"}


def test_no_module_reads_a_variable_past_the_settings() -> None:
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for folder in ("services", "gateway", "deploy")
        for path in (ROOT / folder).rglob("*.py")
        if str(path.relative_to(ROOT)) not in READERS
        for name in DIRECT_READ.findall(path.read_text())
    }
    assert found == set()


def _settings(values: Mapping[str, str]) -> Settings:
    return Settings.from_env(dict(values))


def _check_database_url(default: str) -> None:
    assert "var/<service>.db" in default
    settings = _settings({})
    for part in Settings.SQL_PARTS:
        assert settings.database_url(part) == f"sqlite:///{settings.var_dir / part}.db"


def _check_service_urls(default: str) -> None:
    assert default == "`http://SERVICE_HOST:PORT` (the gateway's: `http://HOST:PORT`)"
    settings = _settings({"HOST": "10.1.2.3", "SERVICE_HOST": "10.9.9.9"})
    for part, port in Settings.PARTS.items():
        host = "10.1.2.3" if part == "gateway" else "10.9.9.9"
        assert settings.url_of(part) == f"http://{host}:{port}"


def _check_redis_url(default: str) -> None:
    import tempfile

    assert "EMBEDDED_REDIS_PORT" in default
    # A VAR_DIR of its own: a var/redis.secret left by `make run` would add its password.
    with tempfile.TemporaryDirectory() as var_dir:
        settings = _settings({"EMBEDDED_REDIS_PORT": "7777", "VAR_DIR": var_dir})
        assert settings.redis_embedded and settings.redis_url == "redis://127.0.0.1:7777/0"
    assert not _settings({"REDIS_URL": "redis://elsewhere:6379/0"}).redis_embedded


def _check_in_process(default: str) -> None:
    """Unset, the gateway alone serves no service itself and `make run` picks its own list."""
    (deployed,) = (value for value in BACKTICKED.findall(default) if "=" in value)
    assert _settings({}).gateway_in_process is None
    (gateway,) = (p for p in web_processes(_settings({})) if p.name == "gateway")
    assert f"GATEWAY_IN_PROCESS={deployed}" in gateway.command
    (emptied,) = (
        p for p in web_processes(_settings({"GATEWAY_IN_PROCESS": ""})) if p.name == "gateway"
    )
    assert "GATEWAY_IN_PROCESS=" in emptied.command


def _check_internal_secret(default: str) -> None:
    """Unset: one secret made on first use, private, and the same for every later reader."""
    import tempfile

    assert "var/internal.secret" in default and "0600" in default
    with tempfile.TemporaryDirectory() as var_dir:
        settings = _settings({"VAR_DIR": var_dir})
        assert settings.internal_secret == ""
        first = settings.internal_key()
        assert len(first) == 64 and _settings({"VAR_DIR": var_dir}).internal_key() == first
        assert (Path(var_dir) / "internal.secret").stat().st_mode & 0o777 == 0o600
        given = _settings({"VAR_DIR": var_dir, "INTERNAL_SECRET": "s3cret"})
        assert given.internal_key() == b"s3cret"


def _check_demo_key(default: str) -> None:
    assert "var/demo.key" in default
    assert _settings({}).demo_api_key == ""


def _check_smtp_login(default: str) -> None:
    assert "no login" in default
    settings = _settings({})
    assert settings.smtp_user == "" and settings.smtp_password == ""


def _check_boards_cluster(default: str) -> None:
    assert "boards live on `REDIS_URL`" in default
    assert _settings({}).boards_redis_cluster_url == ""
    url = "redis://127.0.0.1:7000,redis://127.0.0.1:7001"
    assert _settings({"BOARDS_REDIS_CLUSTER_URL": url}).boards_redis_cluster_url == url


# Rows whose default is a rule, not a value: each is checked by hand, named by one variable.
DERIVED: dict[str, Callable[[str], None]] = {
    "DATABASE_URL": _check_database_url,
    "POINTS_URL": _check_service_urls,
    "REDIS_URL": _check_redis_url,
    "GATEWAY_IN_PROCESS": _check_in_process,
    "DEMO_API_KEY": _check_demo_key,
    "INTERNAL_SECRET": _check_internal_secret,
    "SMTP_USER": _check_smtp_login,
    "BOARDS_REDIS_CLUSTER_URL": _check_boards_cluster,
}


def _literal_rows() -> list[tuple[str, str]]:
    """(variable, default) for each row whose default cell is only backticked values."""
    pairs = []
    for names, cell in ROWS:
        if DERIVED.keys() & set(names):
            continue
        values = BACKTICKED.findall(cell)
        assert BACKTICKED.sub("", cell).strip(" ,") == "", f"{names}: add a check to DERIVED"
        assert len(values) in (1, len(names)), names
        pairs += zip(names, values * len(names) if len(values) == 1 else values, strict=True)
    return pairs


@pytest.mark.parametrize(("name", "default"), _literal_rows())
def test_each_documented_default_is_the_codes(name: str, default: str) -> None:
    if default in DOCUMENTED:  # "defaults to that variable": it follows it
        given = {default: "sqlite:///elsewhere.db"}
        assert _settings({**given, name: "sqlite:///elsewhere.db"}) == _settings(given)
    else:
        assert _settings({name: default}) == _settings({})


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_each_derived_default_is_the_codes(name: str) -> None:
    (cell,) = [cell for names, cell in ROWS if name in names]
    DERIVED[name](cell)


def test_session_cookie_secure_takes_auto_true_or_false_only() -> None:
    for value in ("auto", "true", "false", "TRUE"):
        assert _settings({"SESSION_COOKIE_SECURE": value}).session_cookie_secure == value.lower()
    with pytest.raises(ValueError, match="SESSION_COOKIE_SECURE must be one of auto, true, false"):
        _settings({"SESSION_COOKIE_SECURE": "yes"})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"RATE_LIMIT_READ": "lots"}, "RATE_LIMIT_READ must read like"),
        ({"RATE_LIMIT_WRITE": "1/second;9/minute"}, "RATE_LIMIT_WRITE must read like"),
        ({"RATE_LIMIT_EVENTS": "0/minute"}, "RATE_LIMIT_EVENTS must allow at least one"),
        ({"RATE_LIMIT_ENABLED": "sometimes"}, "RATE_LIMIT_ENABLED must be true or false"),
    ],
)
def test_a_bad_rate_limit_setting_is_refused_by_name(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _settings(values)


def test_rate_limits_read_as_written() -> None:
    settings = _settings({"RATE_LIMIT_ANONYMOUS": "50 per 10 seconds", "RATE_LIMIT_ENABLED": "off"})
    assert settings.rate_limit_anonymous == "50 per 10 seconds"
    assert not settings.rate_limit_enabled and _settings({"RATE_LIMIT_ENABLED": "1"}) == _settings(
        {}
    )


def test_unknown_activity_takes_ad_hoc_or_refuse_only() -> None:
    assert _settings({}).unknown_activity == "ad_hoc"
    assert _settings({"UNKNOWN_ACTIVITY": "Refuse"}).unknown_activity == "refuse"
    with pytest.raises(ValueError, match="UNKNOWN_ACTIVITY must be one of ad_hoc, refuse"):
        _settings({"UNKNOWN_ACTIVITY": "drop"})
