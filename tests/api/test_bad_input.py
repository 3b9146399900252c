"""No input gets a 500: malformed JSON, wrong types, huge numbers, nulls, unicode and null characters all
get a 4xx with a JSON body that says what is wrong, in the caller's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from api import selectors
from cohorts.models import Attendance

pytestmark = pytest.mark.django_db

HUGE = 10**30


def assert_json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "\xff\xfe",
        '{"marks": [',
    ],
)
def test_malformed_json_is_a_400(call, api_world, body):
    response = call(
        "manager",
        "post",
        f"/api/v1/sessions/{api_world.tonight.pk}/attendance",
        data=body,
        content_type="application/json",
    )
    assert assert_json_error(response, 400)["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize("body", ["null", '"marks"', "[]", "7"])
def test_json_that_is_not_an_object_is_a_422(call, api_world, body):
    response = call(
        "manager",
        "post",
        f"/api/v1/sessions/{api_world.tonight.pk}/attendance",
        data=body,
        content_type="application/json",
    )
    assert_json_error(response, 422)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "marks"),
        ({"marks": None}, "marks"),
        ({"marks": []}, "marks"),
        ({"marks": [None]}, "marks.0"),
        ({"marks": [{"enrollment_id": HUGE, "status": "present"}]}, "marks.0.enrollment_id"),
        ({"marks": [{"enrollment_id": -1, "status": "present"}]}, "marks.0.enrollment_id"),
        ({"marks": [{"enrollment_id": "abc", "status": "present"}]}, "marks.0.enrollment_id"),
        ({"marks": [{"enrollment_id": 1.5, "status": "present"}]}, "marks.0.enrollment_id"),
        ({"marks": [{"enrollment_id": 1, "status": None}]}, "marks.0.status"),
        ({"marks": [{"enrollment_id": 1, "status": "présent 🙂"}]}, "marks.0.status"),
        ({"marks": [{"enrollment_id": 1, "status": "late", "minutes_late": HUGE}]}, "marks.0.minutes_late"),
        ({"marks": [{"enrollment_id": 1, "status": "late", "minutes_late": 0}]}, "marks.0.minutes_late"),
        ({"marks": [{"enrollment_id": 1, "status": "present", "note": "x" * 256}]}, "marks.0.note"),
        ({"marks": [{"enrollment_id": 1, "status": "present", "note": "a\x00b"}]}, "marks.0.note"),
        ({"marks": [{"enrollment_id": 1, "status": "present", "note": 7}]}, "marks.0.note"),
        ({"marks": [{"enrollment_id": 1, "status": "present", "expected": "maybe"}]}, "marks.0.expected"),
        ({"marks": [{"enrollment_id": 1, "status": "present", "stauts": "late"}]}, "marks.0.stauts"),
    ],
)
def test_wrong_bodies_are_422_naming_the_field(call, api_world, payload, field):
    response = call("manager", "post", f"/api/v1/sessions/{api_world.tonight.pk}/attendance", json_body=payload)
    body = assert_json_error(response, 422)
    fields = [error["field"] for error in body["errors"]]
    assert any(name == field or name.startswith(f"{field}.") for name in fields), fields
    assert all(error["message"] for error in body["errors"])
    assert not Attendance.objects.exists()


def test_a_field_error_names_the_field_and_says_what_is_wrong(call, api_world):
    response = call(
        "manager",
        "post",
        f"/api/v1/sessions/{api_world.tonight.pk}/attendance",
        json_body={"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "here", "minutes_late": "ten"}]},
    )
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors["marks.0.minutes_late"] == "Enter a whole number."
    assert errors["marks.0.status"].startswith("Select a valid choice. “here” is not one of the available choices.")
    assert "present" in errors["marks.0.status"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/cohorts/{HUGE}",
        "/api/v1/cohorts/-3",
        "/api/v1/cohorts/0",
        "/api/v1/cohorts/1.5",
        "/api/v1/cohorts/%F0%9F%99%82",
        "/api/v1/cohorts/null",
        f"/api/v1/sessions/{HUGE}/roster",
        f"/api/v1/learners/{HUGE}",
        f"/api/v1/cohorts?limit={HUGE}",
        "/api/v1/cohorts?limit=0",
        f"/api/v1/cohorts?offset={HUGE}",
        "/api/v1/cohorts?offset=-1",
        "/api/v1/cohorts?status=bogus",
        f"/api/v1/cohorts?partner={HUGE}",
        "/api/v1/cohorts?term=a%00b",
        "/api/v1/learners?name=a%00b",
        f"/api/v1/learners?name={'n' * 101}",
        "/api/v1/bonuses?month=2026-13",
        "/api/v1/bonuses?month=%D9%A2%D9%A0%D9%A2%D9%A6-10",
        "/api/v1/bonuses?status=paid%00",
        "/api/v1/milestones?achieved_from=0",
        "/api/v1/milestones?achieved_from=2026-02-30",
        "/api/v1/milestones?milestone=../../etc",
        "/api/v1/cohorts?stauts=running",
    ],
)
def test_wrong_paths_and_queries_are_4xx(call, path):
    response = call("manager", "get", path)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_query_parameter_is_named(call):
    body = assert_json_error(call("manager", "get", "/api/v1/cohorts?stauts=running"), 422)
    assert body["errors"] == [
        {"location": "query", "field": "stauts", "message": "This field is not known here; check its spelling."}
    ]


def test_unknown_endpoints_and_methods_answer_json(call):
    assert assert_json_error(call("manager", "get", "/api/v1/nothing/here"), 404)
    response = call("manager", "delete", "/api/v1/cohorts")
    assert assert_json_error(response, 405)["detail"] == "This endpoint does not accept DELETE."
    assert response["Allow"] == "GET"


def test_errors_are_in_the_callers_language(call):
    response = call("manager", "get", "/api/v1/cohorts?limit=many", HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        in_spanish = gettext("Enter a whole number.")
    assert in_spanish != "Enter a whole number."
    assert response.json()["errors"] == [{"location": "query", "field": "limit", "message": in_spanish}]
    assert response["Content-Language"] == "es"


def test_an_unexpected_failure_is_logged_and_answered_in_json(call, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "cohorts_for", broken)
    with caplog.at_level("ERROR", logger="pathways.api"):
        response = call("manager", "get", "/api/v1/cohorts")
    body = assert_json_error(response, 500)
    assert "database on fire" not in body["detail"]  # no internals to the client...
    assert any(
        "database on fire" in (record.exc_text or str(record.exc_info)) for record in caplog.records
    )  # ...but logged
