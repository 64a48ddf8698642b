"""Quizzes kept by the points service: made, changed before they open, cancelled; who may do
it (a subtree admin inside their subtree only), and who sees a pop quiz before it opens."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.quizzes import (
    ADMIN_KEY,
    NORTH_ADMIN,
    ORG_ADMIN,
    make,
    quiz_body,
    staff,
)


def test_a_quiz_is_kept_with_its_window_in_utc_and_listed(org: FlaskClient) -> None:
    body = quiz_body("law-1", 1, 2, opens_at="2031-03-02T09:00:00", closes_at="2031-03-02T10:30")
    made = org.post("/api/v1/quizzes", json={**body, "members": ["S002"]}, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    quiz = made.get_json()
    # No offset: the organisation's local time (Asia/Shanghai, UTC+8), stored and shown in UTC.
    assert quiz["opens_at"] == "2031-03-02T01:00:00+00:00"
    assert quiz["closes_at"] == "2031-03-02T02:30:00+00:00"
    assert quiz["window"] == "2031-03-02 09:00 to 2031-03-02 10:30 (Asia/Shanghai)"
    assert (quiz["units"], quiz["members"], quiz["state"]) == (["north"], ["S002"], "upcoming")
    assert quiz["created_by"] == "direct" and quiz["pop"] is False
    assert org.get("/api/v1/quizzes/law-1", headers=staff("S001")).get_json() == quiz
    listed = org.get("/api/v1/quizzes?state=upcoming", headers=staff("S001")).get_json()
    assert listed == {"total": 1, "items": [quiz]}
    assert org.get("/api/v1/quizzes?state=open").get_json()["total"] == 0
    again = org.post("/api/v1/quizzes", json=body, headers=ORG_ADMIN)
    assert again.status_code == 409


def test_bad_quizzes_are_refused_naming_the_field_and_change_nothing(org: FlaskClient) -> None:
    cases = {
        "closes_at": quiz_body("bad", 2, 1),
        "pass_mark": quiz_body("bad", 1, 2, pass_mark=60),
        "units": quiz_body("bad", 1, 2, units=["nowhere"]),
        "members": quiz_body("bad", 1, 2, members=["S999"]),
        "max_score": quiz_body("bad", 1, 2, max_score=0),
        "id": quiz_body("bad id", 1, 2),
        "pop": quiz_body("bad", 1, 2, pop="yes"),
        "opens_at": quiz_body("bad", 1, 2, opens_at="0001-01-01T00:00:00"),
    }
    for field, body in cases.items():
        answer = org.post("/api/v1/quizzes", json=body, headers=ORG_ADMIN)
        assert answer.status_code == 422, (field, answer.get_json())
        assert field in answer.get_json()["errors"]["json"], answer.get_json()
    nobody = org.post("/api/v1/quizzes", json=quiz_body("bad", 1, 2, units=[]), headers=ORG_ADMIN)
    assert nobody.status_code == 422 and "units" in nobody.get_json()["errors"]["json"]
    long = quiz_body("bad", 1, 24 * 400)
    assert org.post("/api/v1/quizzes", json=long, headers=ORG_ADMIN).status_code == 422
    assert org.get("/api/v1/quizzes", headers=ORG_ADMIN).get_json()["total"] == 0


def test_a_quiz_changes_before_it_opens_only_and_cancelling_is_once(org: FlaskClient) -> None:
    make(org, "later", 1, 2)
    make(org, "now", -1, 2)
    changed = org.patch("/api/v1/quizzes/later", json={"max_score": 80, "units": ["south"]})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["max_score"], changed.get_json()["units"]) == (80, ["south"])
    bad = org.patch("/api/v1/quizzes/later", json={"pass_mark": 90})
    assert bad.status_code == 422 and "pass_mark" in bad.get_json()["errors"]["json"]
    assert org.get("/api/v1/quizzes/later").get_json()["pass_mark"] == 30
    opened = org.patch("/api/v1/quizzes/now", json={"title": "Renamed"})
    assert opened.status_code == 409 and "open" in opened.get_json()["message"]
    first = org.post("/api/v1/quizzes/now/cancel", headers=ORG_ADMIN).get_json()
    assert first["state"] == "cancelled" and first["cancelled_at"]
    second = org.post("/api/v1/quizzes/now/cancel", headers=ORG_ADMIN).get_json()
    assert second == first
    assert org.patch("/api/v1/quizzes/now", json={"title": "x"}).status_code == 409
    assert org.get("/api/v1/quizzes?state=cancelled").get_json()["items"] == [first]
    assert org.post("/api/v1/quizzes/nothing/cancel").status_code == 404


def test_a_subtree_admin_manages_quizzes_inside_their_subtree_only(org: FlaskClient) -> None:
    inside = quiz_body("n-1", 1, 2, units=["north-ops"], members=["S001"])
    assert org.post("/api/v1/quizzes", json=inside, headers=NORTH_ADMIN).status_code == 201
    for changes in ({"units": ["south"]}, {"units": ["north"], "members": ["S002"]}):
        outside = org.post(
            "/api/v1/quizzes", json=quiz_body("n-2", 1, 2, **changes), headers=NORTH_ADMIN
        )
        assert outside.status_code == 403, outside.get_json()
    assert "south" in outside.get_json()["message"] or "S002" in outside.get_json()["message"]
    make(org, "s-1", 1, 2, units=["south"])
    for method, path in (("patch", "/api/v1/quizzes/s-1"), ("post", "/api/v1/quizzes/s-1/cancel")):
        refused = getattr(org, method)(path, json={"title": "mine"}, headers=NORTH_ADMIN)
        assert refused.status_code == 403, refused.get_json()
    away = org.patch("/api/v1/quizzes/n-1", json={"units": ["south"]}, headers=NORTH_ADMIN)
    assert away.status_code == 403
    assert org.get("/api/v1/quizzes/s-1").get_json()["state"] == "upcoming"
    assert org.get("/api/v1/quizzes/n-1").get_json()["units"] == ["north-ops"]
    # A member of staff holds no admin role anywhere: nothing is theirs to manage.
    mine = org.post("/api/v1/quizzes", json=quiz_body("x", 1, 2), headers=staff("S001"))
    assert mine.status_code == 403
    assert org.get("/api/v1/quizzes/x").status_code == 404


def test_a_pop_quiz_is_hidden_from_staff_until_it_opens(org: FlaskClient) -> None:
    make(org, "announced", 1, 2)
    make(org, "pop-later", 1, 2, pop=True)
    make(org, "pop-now", -1, 2, pop=True)
    make(org, "pop-south", 1, 2, pop=True, units=["south"])
    everything = {"announced", "pop-later", "pop-now", "pop-south"}

    def listed(headers: dict[str, str]) -> set[str]:
        return {q["id"] for q in org.get("/api/v1/quizzes", headers=headers).get_json()["items"]}

    assert listed(staff("S001")) == {"announced", "pop-now"}
    assert listed({"X-Scopes": "read"}) == {"announced", "pop-now"}  # a reader key
    assert listed(ORG_ADMIN) == listed(ADMIN_KEY) == everything
    assert listed(NORTH_ADMIN) == everything - {"pop-south"}
    for path in ("/api/v1/quizzes/pop-later", "/api/v1/quizzes/pop-later/figures"):
        hidden = org.get(path, headers=staff("S001"))
        assert hidden.status_code == 404 and hidden.get_json()["message"] == "No quiz 'pop-later'."
        assert org.get(path, headers=NORTH_ADMIN).status_code == 200
    assert org.get("/api/v1/quizzes/pop-south", headers=NORTH_ADMIN).status_code == 404
    total = org.get("/api/v1/quizzes?limit=1", headers=staff("S001")).get_json()["total"]
    assert total == 2
