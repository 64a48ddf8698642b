"""The fuzzer's configuration is valid TOML, each operation entry naming its paths once: a
broken file fails the fuzz tier only after its whole set-up, minutes into CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).parents[1] / "fuzz" / "schemathesis.toml"


def test_the_fuzz_config_parses_and_each_operation_names_its_paths() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    for operation in config["operations"]:
        assert {"include-path", "include-path-regex"} & set(operation), operation
