"""The layout's promises, checked on the imports themselves (docs/architecture.md, "Where each
concern lives"): infrastructure knows no service, the rule engine is pure, and services never
import each other's modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("points", "rewards", "leaderboard")


def imports_of(package: str) -> dict[str, set[str]]:
    """Every module of the package (by path) with the absolute modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offending(package: str, allowed: tuple[str, ...], refused: tuple[str, ...]) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imports_of(package).items()
        for name in sorted(names)
        if name.startswith(refused) and not name.startswith(allowed)
    ]


def test_infrastructure_imports_no_service_and_no_contract() -> None:
    refused = ("services", "gateway", "deploy")
    assert offending("services.common", ("services.common",), refused) == []


def test_infrastructure_names_no_service() -> None:
    """Not even in a string: per-part settings are listed by services/settings.py."""
    for path in (ROOT / "services/common").rglob("*.py"):
        text = path.read_text()
        for name in SERVICES:
            assert f'"{name}"' not in text, f"{path} names the {name} service"


def test_the_rule_engine_is_pure() -> None:
    """Plain values in and out; the organisation's calendar is pure date arithmetic too."""
    refused = ("flask", "flask_smorest", "sqlalchemy", "redis", "rq", "services", "gateway")
    allowed = ("services.rules", "services.common.calendar")
    assert offending("services.rules", allowed, refused) == []


@pytest.mark.parametrize("service", SERVICES)
def test_services_never_import_each_other(service: str) -> None:
    others = tuple(f"services.{other}" for other in SERVICES if other != service)
    assert offending(f"services.{service}", (), others + ("gateway",)) == []


def test_the_gateway_imports_no_service() -> None:
    """It routes by URL; the deployment names the apps it may run in its own process."""
    refused = tuple(f"services.{service}" for service in SERVICES)
    assert offending("gateway", (), refused) == []


CODE = ("services", "gateway", "deploy", "bench")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def code_files() -> list[Path]:
    return [
        path
        for package in CODE
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_modules_stay_small() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in code_files()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert long == []


def test_functions_stay_short() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines"
        for path in code_files()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]
    assert long == []


TEST_TIERS = ("unit", "integration", "e2e", "drills", "fuzz", "deploy", "scale")


def test_test_modules_import_no_test_module_and_no_other_tier() -> None:
    """What tests share lives in a helper module of their own tier or in a neutral one
    (tests.harness, tests.entries, tests.rules_examples, tests.support): importing a test
    module collects its tests twice, and importing another tier ties the tiers together."""

    def tier(parts: tuple[str, ...]) -> str | None:
        return parts[1] if len(parts) > 1 and parts[1] in TEST_TIERS else None

    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        here = path.relative_to(ROOT).with_suffix("").parts
        package = here[:-1]  # an __init__ module's own package, like any other module's
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [tuple(alias.name.split(".")) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else ()
                module = base + (tuple(node.module.split(".")) if node.module else ())
                # "from package import name" may name a module of that package
                names = [module] + [module + (alias.name,) for alias in node.names]
            else:
                continue
            bad = [
                name
                for name in names
                if name[:1] == ("tests",)
                and (name[-1].startswith("test_") or tier(name) not in (None, tier(here)))
            ]
            if bad:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {'.'.join(bad[-1])}")
    assert found == []
