"""The docs page keeps no key: a bearer key typed into it is never saved in the browser."""

from __future__ import annotations

import re

from tests.integration.gateway.conftest import GatewayFactory

SETTING = re.compile(r"persistAuthorization:\s*(\w+)")


def test_the_docs_page_does_not_persist_authorization(make_gateway: GatewayFactory) -> None:
    page = make_gateway().test_client().get("/api/docs")
    assert page.status_code == 200
    # Said explicitly, so a later Swagger UI whose default changes cannot turn it on.
    assert SETTING.findall(page.get_data(as_text=True)) == ["false"]
