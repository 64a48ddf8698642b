"""Over HTTP: a unit code or staff number with a trailing newline is a 422 naming the field, and
nothing is stored."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_a_unit_code_with_a_trailing_newline_is_refused(client: FlaskClient) -> None:
    answer = client.post("/api/v1/units", json={"code": "north\n", "name": "North"})
    assert answer.status_code == 422
    assert "code" in answer.get_json()["errors"]["json"]
    assert client.get("/api/v1/units/north").status_code == 404


def test_a_staff_number_with_a_trailing_newline_is_refused(client: FlaskClient) -> None:
    assert client.post("/api/v1/units", json={"code": "north", "name": "North"}).status_code == 201
    member = {"staff_no": "S001\n", "name": "Li Na", "unit": "north"}
    answer = client.post("/api/v1/members", json=member)
    assert answer.status_code == 422
    assert "staff_no" in answer.get_json()["errors"]["json"]
    assert client.get("/api/v1/members/S001").status_code == 404
