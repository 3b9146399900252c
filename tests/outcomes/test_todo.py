"""The admin home of a manager or partner staff member opens on a to-do list: each thing waiting for someone
as a count with a link, only their partner's for partner staff, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import Cohort, Enrollment
from courses.models import Track
from incentives.models import MilestoneAchievement
from incentives.services import compute_month
from outcomes.todo import todo_list
from people.models import Learner
from tests import builders
from tests.builders import TwoPartners, cohort_on, enrolled, held_sessions, mark, milestone_type, page_text, reached
from tests.credentials.world import pathway
from tests.incentives.conftest import NOW, OCTOBER, OCTOBER_DAYS, bonus_rule

pytestmark = pytest.mark.django_db

NOVEMBER_MARKED = [datetime.date(2026, 11, day) for day in (2, 5, 9)]
NOVEMBER_UNMARKED = [datetime.date(2026, 11, 10), datetime.date(2026, 11, 11), datetime.date(2026, 11, 12)]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return builders.stop_clock(monkeypatch, NOW)  # Monday 16 November 2026


class Work(TwoPartners):
    """Northside has one of each thing waiting, Unidos two (three when `more` is larger), so whose counts a
    page shows is plain. October's ESOL classes are over and their bonuses not computed."""

    def __init__(self):
        super().__init__()
        self.rule = bonus_rule()
        self.pathway = pathway(min_attendance_percent=Decimal("75"), min_hours=Decimal("12"))
        self.license = milestone_type()
        self.add(self.partner, self.instructor, 1)
        self.add(self.other_partner, staff_instructor(self.other_partner), 2)

    def add(self, partner, instructor, count):
        tag = f"{partner.slug}-{Cohort.objects.count()}"
        # A cohort that ended in October: everyone came to every class and completed it.
        fall = cohort_on(Track.ESOL, partner=partner, name=f"Fall {tag}", end_date=datetime.date(2026, 10, 30))
        fall.instructors.add(instructor)
        october = held_sessions(fall, OCTOBER_DAYS)
        # A cohort under way: learners who missed the last two marked classes, sessions no one marked.
        now = cohort_on(Track.ESOL, partner=partner, name=f"Evening {tag}")
        now.instructors.add(instructor)
        marked = held_sessions(now, NOVEMBER_MARKED)
        held_sessions(now, NOVEMBER_UNMARKED[:count])
        for number in range(count):
            graduate = enrolled(
                fall,
                name=f"Graduate {tag} {number}",
                status=Enrollment.Status.COMPLETED,
                completed_on=datetime.date(2026, 10, 30),
            )
            mark(graduate, october, ["present"] * len(october))
            missing = enrolled(now, name=f"Missing {tag} {number}")
            mark(missing, marked, ["present", "absent", "absent"])
            reached(graduate.learner, self.license, status=MilestoneAchievement.Status.RECORDED)
            waiting = Learner.objects.create(partner=partner, full_name=f"Offered {tag} {number}", consent_data=True)
            enrolled(
                now, waiting, status=Enrollment.Status.OFFERED, offer_expires_at=NOW + datetime.timedelta(hours=20)
            )
        later = Learner.objects.create(partner=partner, full_name=f"Offered later {tag}", consent_data=True)
        enrolled(now, later, status=Enrollment.Status.OFFERED, offer_expires_at=NOW + datetime.timedelta(days=5))


def staff_instructor(partner):
    from people.models import Role

    return builders.staff(Role.INSTRUCTOR, partner, "rosa.unidos")


@pytest.fixture
def work():
    return Work()


def counts(user):
    return {item.key: item.count for item in todo_list(user)}


def test_each_person_counts_only_what_they_may_see(work):
    assert counts(work.partner_staff) == {
        "bonuses_to_approve": 0,
        "bonuses_to_adjust": 0,
        "deposits_to_approve": 0,
        "unmarked_sessions": 1,
        "milestones_to_verify": 1,
        "credentials_to_issue": 1,
        "learners_at_risk": 1,
        "offers_expiring": 1,
    }
    assert counts(work.other_partner_staff)["credentials_to_issue"] == 2
    assert counts(work.other_partner_staff)["unmarked_sessions"] == 2
    assert counts(work.manager) == {
        "months_not_computed": 1,  # October: classes held, no bonus computed
        "bonuses_to_approve": 0,
        "bonuses_to_adjust": 0,
        "deposits_to_approve": 0,
        "unmarked_sessions": 3,
        "milestones_to_verify": 3,
        "credentials_to_issue": 3,
        "learners_at_risk": 3,
        "offers_expiring": 3,
    }
    assert todo_list(work.instructor) == []


def test_a_computed_month_leaves_the_list_and_its_bonuses_wait_for_approval(work):
    compute_month(month=OCTOBER, by=work.manager)

    assert counts(work.manager)["months_not_computed"] == 0
    assert counts(work.manager)["bonuses_to_approve"] == 3  # the three graduates came to every October class
    assert counts(work.partner_staff)["bonuses_to_approve"] == 1


def test_unmarked_sessions_are_listed_by_instructor_with_a_link_to_their_sessions(work):
    unmarked = next(item for item in todo_list(work.manager) if item.key == "unmarked_sessions")

    texts = [text for text, _url in unmarked.details]
    assert texts == ["<bdi>rosa.unidos</bdi>: 2 sessions", "<bdi>amina.teacher</bdi>: 1 session"]
    northside_evening = Cohort.objects.get(name__startswith="Evening northside")
    assert unmarked.details[1][1] == (
        f"/admin/sessions/?date_from=2026-11-10&date_to=2026-11-10&cohort={northside_evening.pk}"
    )


def test_sessions_of_a_cohort_with_no_instructor_say_so_not_none(work):
    """A cohort nobody teaches yet still lists its unmarked sessions: under "No instructor", not "None None"
    (the journeys' screenshot of the manager's list caught it)."""
    nobodys = cohort_on(Track.ESOL, partner=work.other_partner, name="Saturday English")
    enrolled(nobodys, name="Hodan Abdi")
    held_sessions(nobodys, NOVEMBER_UNMARKED[:1])

    unmarked = next(item for item in todo_list(work.manager) if item.key == "unmarked_sessions")

    texts = [text for text, _url in unmarked.details]
    assert "<bdi>No instructor</bdi>: 1 session" in texts
    assert not any("None" in text for text in texts)


def test_the_admin_home_opens_on_the_list_instead_of_page_counts(client, work):
    client.force_login(work.partner_staff)

    text = page_text(client.get("/admin/"))

    assert "Waiting for you" in text
    assert "1 learner eligible for a credential not yet issued" in text
    assert "1 waitlist offer expiring within two days" in text
    assert "1 past session with no attendance taken" in text
    assert "2 learners" not in text and "rosa.unidos" not in text  # Unidos's counts and people stay hidden
    assert "months whose bonuses" not in text  # computing is the managers' decision
    assert 'href="/admin/milestones/?status=recorded"' in text
    assert "w-summary" not in text  # Wagtail's page, image and document counts are gone
    client.force_login(work.manager)
    assert "w-summary" not in page_text(client.get("/admin/"))  # for managers too, who may see pages


def test_the_list_is_in_the_readers_language(client, work):
    client.force_login(work.manager)
    client.cookies["django_language"] = "es"

    text = page_text(client.get("/admin/"))

    assert "3 estudiantes en riesgo" in text


def test_the_number_of_queries_stays_the_same_whatever_the_data(work, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        todo_list(work.manager)
    for _more in range(3):
        work.add(work.partner, work.instructor, 4)

    with django_assert_max_num_queries(len(small)):
        bigger = counts(work.manager)

    assert bigger["credentials_to_issue"] == 3 + 12
    assert len(small) <= 20


def menu_labels(response):
    """The labels of the admin menu's top-level items, as the sidebar draws them (from its JSON props)."""
    import json
    import re

    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', response.content.decode(), re.S).group(1)
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") == "wagtail.sidebar.LinkMenuItem":
                found.append((node["_args"][0]["label"], node["_args"][0]["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props))
    return found


def test_the_menu_leads_back_to_the_list_for_those_who_have_one(client, work):
    from django.contrib.auth.models import Permission

    for person in (work.manager, work.partner_staff):
        client.force_login(person)
        assert ("My to-do list", "/admin/#todo-heading") in menu_labels(client.get("/admin/cohorts/"))
    client.cookies["django_language"] = "ar"
    assert ("مهامي", "/admin/#todo-heading") in menu_labels(client.get("/admin/"))

    editor = work.other_instructor
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "/admin/#todo-heading" not in dict(menu_labels(client.get("/admin/"))).values()
