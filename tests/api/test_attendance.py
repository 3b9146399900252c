"""Saving a session's attendance through the API: the same service, rows and audit entry as the instructor
page; conflicts held back, not overwritten; problems reported per mark, nothing half-saved."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Enrollment, Session
from cohorts.services import Mark, cancel_session, record_attendance

pytestmark = pytest.mark.django_db


def attendance_url(session):
    return f"/api/v1/sessions/{session.pk}/attendance"


def recorded(session):
    return {
        row.enrollment_id: (row.status, row.minutes_late, row.note)
        for row in Attendance.objects.filter(session=session)
    }


def audit(session):
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Session), object_id=str(session.pk)
        ).values_list("action", "user_id", "data")
    )


def test_api_and_instructor_page_record_the_same_rows_and_audit(call, client, api_world):
    amina, bashir = api_world.enrollment, Enrollment.objects.get(learner=api_world.classmate)
    page_session, api_session = api_world.last_week, api_world.tonight
    client.force_login(api_world.instructor)
    page = client.post(
        f"/teach/sessions/{page_session.pk}/",
        {
            f"status-{amina.pk}": "late",
            f"minutes-{amina.pk}": "15",
            f"note-{amina.pk}": "Bus was late",
            f"expected-{amina.pk}": "",
            f"status-{bashir.pk}": "absent",
            f"expected-{bashir.pk}": "",
        },
    )
    assert page.status_code == 302
    client.logout()

    response = call(
        "instructor",
        "post",
        attendance_url(api_session),
        json_body={
            "marks": [
                {
                    "enrollment_id": amina.pk,
                    "status": "late",
                    "minutes_late": 15,
                    "note": "Bus was late",
                    "expected": "",
                },
                {"enrollment_id": bashir.pk, "status": "absent", "expected": ""},
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert (
        recorded(api_session)
        == recorded(page_session)
        == {
            amina.pk: ("late", 15, "Bus was late"),
            bashir.pk: ("absent", None, ""),
        }
    )
    # One audit entry each, by the instructor, naming the same changes; the API's says where it came from.
    ((page_action, page_user, page_data),) = audit(page_session)
    ((api_action, api_user, api_data),) = audit(api_session)
    assert page_action == api_action == "cohorts.attendance.record"
    assert page_user == api_user == api_world.instructor.pk
    assert page_data["changes"] == api_data["changes"]
    assert (page_data["source"], api_data["source"]) == ("roster", "api")
    assert set(Attendance.objects.filter(session=api_session).values_list("source", "recorded_by")) == {
        ("api", api_world.instructor.pk)
    }
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["conflicts"]) == (2, 0, 0, 0)
    assert [row["outcome"] for row in body["results"]] == ["created", "created"]
    assert body["results"][0]["attendance"] == {"status": "late", "minutes_late": 15, "note": "Bus was late"}


def test_roster_read_matches_what_the_page_lists(call, api_world):
    """The same learners as the instructor page (session_roster), with their mark so far."""
    record_attendance(
        session=api_world.tonight,
        marks=[Mark(enrollment_id=api_world.enrollment.pk, status="present")],
        recorded_by=api_world.instructor,
    )
    body = call("instructor", "get", f"/api/v1/sessions/{api_world.tonight.pk}/roster").json()
    assert [
        (row["learner"]["display_name"], row["attendance"] and row["attendance"]["status"]) for row in body["rows"]
    ] == [
        ("Amina", "present"),
        ("Bashir Rahimi", None),
    ]
    assert body["allowed_statuses"] == ["present", "late", "excused", "absent"]


def test_saving_the_same_marks_again_changes_nothing(call, api_world):
    body = {"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "present"}]}
    call("instructor", "post", attendance_url(api_world.tonight), json_body=body)
    again = call("instructor", "post", attendance_url(api_world.tonight), json_body=body).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert again["results"][0]["outcome"] == "unchanged"
    assert Attendance.objects.filter(session=api_world.tonight).count() == 1
    assert len(audit(api_world.tonight)) == 1


def test_a_mark_changed_elsewhere_is_held_back_as_a_conflict_and_the_rest_is_saved(call, api_world):
    amina, bashir = api_world.enrollment, Enrollment.objects.get(learner=api_world.classmate)
    # Someone on the instructor page marks Amina absent after the client read the roster (she was unmarked).
    record_attendance(
        session=api_world.tonight,
        marks=[Mark(enrollment_id=amina.pk, status="absent")],
        recorded_by=api_world.partner_staff,
    )
    response = call(
        "instructor",
        "post",
        attendance_url(api_world.tonight),
        json_body={
            "marks": [
                {"enrollment_id": amina.pk, "status": "present", "expected": ""},
                {"enrollment_id": bashir.pk, "status": "present", "expected": ""},
            ]
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["conflicts"] == 1 and body["created"] == 1
    conflict, saved = body["results"]
    assert conflict["outcome"] == "conflict"
    assert conflict["attendance"]["status"] == "absent"  # what is recorded now
    assert "Amina" in conflict["message"] and "Absent" in conflict["message"]
    assert saved["outcome"] == "created"
    assert recorded(api_world.tonight) == {amina.pk: ("absent", None, ""), bashir.pk: ("present", None, "")}


def test_without_expected_a_mark_overwrites(call, api_world):
    amina = api_world.enrollment
    record_attendance(
        session=api_world.tonight, marks=[Mark(enrollment_id=amina.pk, status="absent")], recorded_by=None
    )
    body = call(
        "instructor",
        "post",
        attendance_url(api_world.tonight),
        json_body={"marks": [{"enrollment_id": amina.pk, "status": "late"}]},
    ).json()
    assert body["results"][0]["outcome"] == "updated"
    assert recorded(api_world.tonight) == {amina.pk: ("late", None, "")}


def test_problems_are_reported_per_mark_and_nothing_is_saved(call, api_world):
    amina, bashir = api_world.enrollment, Enrollment.objects.get(learner=api_world.classmate)
    response = call(
        "instructor",
        "post",
        attendance_url(api_world.tonight),
        json_body={
            "marks": [
                {"enrollment_id": amina.pk, "status": "present"},  # fine on its own
                {"enrollment_id": bashir.pk, "status": "present", "minutes_late": 10},
                {"enrollment_id": api_world.other_enrollment.pk, "status": "present"},  # another partner's cohort
                {"enrollment_id": amina.pk, "status": "absent"},
            ]
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Some marks are not valid; nothing was saved."
    assert [(error["field"], error["message"]) for error in body["errors"]] == [
        (
            "marks.1.minutes_late",
            "Minutes late are only for someone marked Late: choose Late for Bashir Rahimi or clear the minutes.",
        ),
        ("marks.2.enrollment_id", f"Enrollment {api_world.other_enrollment.pk} is not on this session's roster."),
        ("marks.3.enrollment_id", "This learner appears twice in marks."),
    ]
    assert not Attendance.objects.exists()


def test_a_future_session_only_takes_excused(call, api_world):
    url = attendance_url(api_world.next_week)
    refused = call(
        "instructor",
        "post",
        url,
        json_body={"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "present"}]},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "location": "body",
            "field": "marks.0.status",
            "message": "Amina: attendance for a future session can only be “excused”.",
        }
    ]
    roster = call("instructor", "get", f"/api/v1/sessions/{api_world.next_week.pk}/roster").json()
    assert roster["allowed_statuses"] == ["excused"]
    excused = call(
        "instructor",
        "post",
        url,
        json_body={"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "excused"}]},
    )
    assert excused.status_code == 200
    assert recorded(api_world.next_week) == {api_world.enrollment.pk: ("excused", None, "")}


def test_a_learner_who_withdrew_before_the_session_cannot_be_marked(call, api_world):
    import datetime

    enrollment = api_world.enrollment
    enrollment.status, enrollment.withdrawn_on = Enrollment.Status.WITHDRAWN, datetime.date(2026, 10, 1)
    enrollment.save()
    response = call(
        "instructor",
        "post",
        attendance_url(api_world.tonight),
        json_body={"marks": [{"enrollment_id": enrollment.pk, "status": "present"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "marks.0.enrollment_id"
    # ...but the week before she withdrew, she is on the roster.
    earlier = call(
        "instructor",
        "post",
        attendance_url(api_world.last_week),
        json_body={"marks": [{"enrollment_id": enrollment.pk, "status": "present"}]},
    )
    assert earlier.status_code == 200


def test_a_cancelled_session_takes_no_attendance(call, api_world):
    cancel_session(session=api_world.tonight, reason="Snow storm", by=api_world.partner_staff)
    response = call(
        "instructor",
        "post",
        attendance_url(api_world.tonight),
        json_body={"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "present"}]},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This session was cancelled; there is no attendance to take."}
    assert not Attendance.objects.exists()


def test_attendance_through_the_api_queues_the_bonus_recompute_like_the_page(call, api_world, monkeypatch):
    """The service's attendance_changed signal fires (incentives recomputes the month after commit)."""
    from cohorts.signals import attendance_changed

    heard = []

    def listener(sender, session, enrollment_ids, **kwargs):
        heard.append((session.pk, list(enrollment_ids)))

    attendance_changed.connect(listener, dispatch_uid="api-test-listener")
    try:
        call(
            "instructor",
            "post",
            attendance_url(api_world.tonight),
            json_body={"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "present"}]},
        )
    finally:
        attendance_changed.disconnect(dispatch_uid="api-test-listener")
    assert heard == [(api_world.tonight.pk, [api_world.enrollment.pk])]
