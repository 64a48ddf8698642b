"""The services behind the gateway listen apart from it: a HOST that opens the gateway to the
network leaves them on loopback, and the other parts find them there."""

from __future__ import annotations

from deploy.processes import web_processes
from services.settings import Settings


def binds(env: dict[str, str]) -> dict[str, str]:
    found = {}
    for process in web_processes(Settings.from_env(env)):
        found[process.name] = process.command[process.command.index("--bind") + 1]
    return found


def test_opening_the_gateway_leaves_the_services_on_loopback() -> None:
    assert binds({"HOST": "0.0.0.0"}) == {
        "gateway": "0.0.0.0:8000",
        "points": "127.0.0.1:8001",
        "rewards": "127.0.0.1:8002",
        "leaderboard": "127.0.0.1:8003",
    }
    urls = Settings.from_env({"HOST": "0.0.0.0"}).service_urls
    assert {part: url for part, url in urls.items() if part != "gateway"} == {
        "points": "http://127.0.0.1:8001",
        "rewards": "http://127.0.0.1:8002",
        "leaderboard": "http://127.0.0.1:8003",
    }


def test_service_host_moves_the_services_only() -> None:
    found = binds({"SERVICE_HOST": "10.0.0.5"})
    assert found.pop("gateway") == "127.0.0.1:8000"
    assert set(found.values()) == {"10.0.0.5:8001", "10.0.0.5:8002", "10.0.0.5:8003"}
