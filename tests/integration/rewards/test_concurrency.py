"""Publishers racing each other never share a version number."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from tests.rules_examples import DEFAULT

PUBLISHERS, EACH = 8, 4


def test_concurrent_publishes_get_distinct_consecutive_versions(app: Flask) -> None:
    def publish(worker: int) -> list[int]:
        client = app.test_client()
        versions = []
        for attempt in range(EACH):
            body = {"name": f"w{worker}-{attempt}", "document": copy.deepcopy(DEFAULT)}
            response = client.post("/api/v1/rulesets", json=body)
            assert response.status_code == 201, response.get_json()
            versions.append(response.get_json()["version"])
        return versions

    with ThreadPoolExecutor(PUBLISHERS) as pool:
        results = list(pool.map(publish, range(PUBLISHERS)))
    versions = sorted(v for result in results for v in result)
    assert versions == list(range(2, 2 + PUBLISHERS * EACH))
    listed = app.test_client().get("/api/v1/rulesets").get_json()["items"]
    assert [i["version"] for i in listed] == list(range(1 + PUBLISHERS * EACH, 0, -1))
