"""Reading the platform's /metrics: a scrape as the machine's scraper makes it, and a counter
per gunicorn worker (from each worker's own sample file in multiprocess mode), which shows
which workers answered a run of requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import urllib3
from prometheus_client.multiprocess import MultiProcessCollector

from deploy.processes import metrics_dir

if TYPE_CHECKING:
    from tests.harness.platform import Platform


def scrape(platform: Platform, part: str, key: str = "") -> str:
    """One scrape of ``part`` on a new connection, so that any worker may answer it."""
    headers = {"Connection": "close", **({"Authorization": f"Bearer {key}"} if key else {})}
    url = f"http://127.0.0.1:{platform.settings.ports[part]}/metrics"
    response = urllib3.request("GET", url, headers=headers, retries=False, timeout=30)
    assert response.status == 200, response.data
    return response.data.decode()


def by_worker(platform: Platform, part: str, name: str, **labels: str) -> dict[str, float]:
    """A counter's samples with ``labels`` summed per worker of ``part`` (by process id),
    read from the workers' sample files, as a scrape would before adding them up."""
    counts: dict[str, float] = {}
    for path in sorted(metrics_dir(platform.settings, part).glob("counter_*.db")):
        pid = path.stem.rsplit("_", 1)[-1]
        counts[pid] = sum(
            sample.value
            for family in MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )
    return counts
