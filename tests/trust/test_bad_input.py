"""Hostile input through every form, posted to the real URLs as the role that uses it: any Unicode text, NUL
bytes, 10,000 to 100,000 characters, direction marks (U+200F, U+202E), zero-width joiners, emoji, the
characters a spreadsheet runs as a formula (= + - @ tab, carriage return) and whitespace alone.

What every test promises:
- the answer is never a server error (the test client re-raises whatever a view raises);
- a refused submission saves nothing: the row count of every model of ours, and of the audit log, is what
  it was before (`snapshot`);
- an accepted one keeps the text exactly as typed, only the surrounding whitespace removed as every form
  does, or the form names the field it refuses; nothing is cut short without a word.

PostgreSQL refuses NUL in text columns, where SQLite stores it, so run this file on PostgreSQL too:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pathways_hypo .venv/bin/pytest tests/trust/test_bad_input.py

Each test builds its world once; each example runs inside a savepoint rolled back at its end, with the
cache (attempt counters) emptied, so no example sees another's rows or is slowed by its rate limits.
"""

import csv
import datetime
import io
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import openpyxl
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.models import APIToken, ModelLogEntry, Page, Site

from api.services import create_token
from cms.models import HomePage
from cohorts.models import Attendance, Enrollment
from cohorts.services import issue_check_in_code
from core.phones import normalize_phone
from credentials import codes
from credentials.models import Credential
from incentives.models import MilestoneAchievement, MilestoneType
from people.models import Learner
from people.services import assign_role, invite_to_portal
from tests.cohorts.learner_world import build_world
from tests.credentials.world import pathway
from tests.factories_cohorts import EnrollmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

INSTRUCTOR_PASSWORD = "a long pass phrase"
TODAY = datetime.date(2026, 10, 5)  # a Monday
NOW = datetime.datetime(2026, 10, 5, 22, 5, tzinfo=datetime.UTC)  # 18:05 in New York: tonight's class has begun


def examples(count):
    """Bounded, so the file runs in about a minute on SQLite; the world fixture is shared by a test's examples.

    The same examples every run, so the gate fails only when the code changed (a random run in CI once found
    the 50 kB search below); PATHWAYS_EXPLORE=1 draws new ones each run, to look for more."""
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("PATHWAYS_EXPLORE"),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- hostile text ---------------------------------------------------------------------------------------------

MARKS = [
    "\u200f",  # right-to-left mark
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override
    "\u202d",  # left-to-right override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u061c",  # Arabic letter mark
    "\u200d",  # zero-width joiner
    "\u200c",  # zero-width non-joiner
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
]
EMOJI = ["🙂", "👩🏽‍🔧", "🏳️‍🌈", "👨‍👩‍👧‍👦", "🇸🇾", "1️⃣", "🧕🏾", "🫶🏿"]
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u1680\u2003\u2028\u2029\u202f\u205f\u3000"
NAMES = ["فاطمة الزهراء", "Nguyễn Thị Hoa", "王秀英", "Ayaan Cabdi", "Жанна", "ሰላም", "Jean-Baptiste Pierre"]

any_text = st.text(max_size=40)  # any code point but the surrogates, which no UTF-8 request can carry
with_nul = st.tuples(any_text, any_text).map(lambda parts: f"{parts[0]}\x00{parts[1]}")
huge = st.tuples(st.text(min_size=1, max_size=6), st.integers(10_000, 100_000)).map(
    lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]]
)
marked = st.lists(
    st.one_of(st.sampled_from(NAMES), st.sampled_from(MARKS), st.sampled_from(EMOJI), any_text), min_size=1, max_size=8
).map("".join)
formula = st.tuples(st.sampled_from(FORMULA_STARTS), st.one_of(any_text, st.just("SUM(A1:A9)"))).map("".join)
whitespace_only = st.text(alphabet=WHITESPACE, max_size=12)
hostile_text = st.one_of(any_text, with_nul, huge, marked, formula, whitespace_only)

# Values for fields that expect a number, an id, a date or a choice.
odd_values = st.one_of(
    hostile_text,
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["", "0", "-1", "1.5", "1e9", "NaN", "inf", "null", "[]", "١٢", "2026-02-30", "9999-99-99"]),
)
valid_email = st.one_of(
    st.sampled_from(["", "amina@example.org", "  AMINA@example.org ", "ali@xn--mller-kva.example", "amal@müller.de"]),
    # Long but well-formed: a form field without a length limit lets it through to a 254-character column.
    st.integers(1, 6).map(lambda labels: "a" * 64 + "@" + ".".join(["b" * 60] * labels) + ".org"),
)
valid_phone = st.sampled_from(["", "+1 555 010 2000", "(555) 010-2000", "555.010.2000", "+93 70 123 4567"])


def either(first, second):
    """Half and half (st.one_of would flatten hostile_text's six branches and give the other one a seventh)."""
    return st.booleans().flatmap(lambda pick: first if pick else second)


def mostly(valid, hostile):
    """Three times in four a value the field accepts, else a hostile one: so that most examples get past the
    other fields and reach the one under test, and every field is attacked in some."""
    return st.integers(0, 3).flatmap(lambda n: hostile if n == 0 else valid)


def stripped(text):
    """What every Django form field keeps of typed text (CharField(strip=True), the default)."""
    return text.strip()


# --- what "nothing was saved" means ----------------------------------------------------------------------------

COUNTED_APPS = ("people", "courses", "cohorts", "incentives", "credentials", "outcomes", "api")


def snapshot():
    """Row counts of every model of ours, the audit log and API tokens: equal before and after = nothing saved."""
    counts = {model._meta.label: model.objects.count() for model in (ModelLogEntry, APIToken)}
    for app in COUNTED_APPS:
        for model in apps.get_app_config(app).get_models():
            counts[model._meta.label] = model._base_manager.count()
    return counts


def changed(before, after):
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


@contextmanager
def rolled_back():
    """One example: an empty cache (no attempt counters) and a savepoint rolled back at the end."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_answered(response):
    assert response.status_code < 500, response.status_code
    event(f"answered {response.status_code}")  # seen with --hypothesis-show-statistics


def is_redirect(response):
    return response.status_code in (301, 302, 303)


# --- the world ------------------------------------------------------------------------------------------------


@dataclass
class World:
    base: object  # tests.cohorts.learner_world.World: partners, cohorts, instructor, learner with an account...
    classmate: object  # a second learner in the cohort, without an account
    tonight: object  # today's session, with a check-in code
    plan: object  # MilestoneType without evidence or amount
    grant: object  # MilestoneType that carries an amount
    achievement: object  # the learner's recorded business plan, waiting for a manager
    credential: object  # the learner's certificate
    token: str  # the instructor's API token

    def __getattr__(self, name):
        return getattr(self.base, name)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def world(db, clock):
    cache.clear()
    Page.objects.filter(depth=2).delete()
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="home", heading="Welcome"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    base = build_world()  # its cohorts' course is made under this home page
    for role in ("manager", "partner_staff"):
        user = getattr(base, role)
        assign_role(user=user, role=user.role, partner=user.partner)  # the admin groups
    base.instructor.set_password(INSTRUCTOR_PASSWORD)
    base.instructor.save(update_fields=["password"])
    classmate = LearnerFactory(partner=base.partner, full_name="Bashir Rahimi")
    EnrollmentFactory(cohort=base.cohort, learner=classmate, status=Enrollment.Status.ACTIVE)
    tonight = issue_check_in_code(session=SessionFactory(cohort=base.cohort, date=TODAY), by=base.instructor)
    plan = MilestoneType.objects.create(name="Business plan", slug="business-plan")
    grant = MilestoneType.objects.create(name="SEED grant awarded", slug="seed-grant", carries_amount=True)
    achievement = MilestoneAchievement.objects.create(
        learner=base.learner, milestone_type=plan, achieved_on=datetime.date(2026, 9, 20), recorded_by=base.instructor
    )
    credential = Credential.objects.create(
        learner=base.learner,
        pathway=pathway(),
        cohort=base.cohort,
        partner=base.partner,
        name_as_printed=base.learner.full_name,
        title_as_printed="ESOL Level 1",
        issuer_as_printed=base.partner.name,
        issued_on=TODAY,
        issued_by=base.manager,
        verification_code=codes.new_code(),
        pdf="certificates/never-opened-here.pdf",
        shown_publicly=False,
    )
    token = create_token(user=base.instructor, name="Room 4 tablet", by=base.instructor)[1]
    return World(
        base=base,
        classmate=classmate,
        tonight=tonight,
        plan=plan,
        grant=grant,
        achievement=achievement,
        credential=credential,
        token=token,
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- signing in -----------------------------------------------------------------------------------------------


@examples(40)
@given(
    url=st.sampled_from(["/accounts/login/", "/admin/login/"]),
    username=either(hostile_text, st.sampled_from(["teacher", " teacher", "TEACHER"])),
    password=either(hostile_text, st.just(INSTRUCTOR_PASSWORD)),
)
@example(url="/accounts/login/", username="u" * 300, password="x")  # longer than axes' column: a 500 on PostgreSQL
@example(url="/admin/login/", username="u" * 300, password="x")
def test_signing_in_with_any_username_and_password_never_fails_and_signs_in_only_the_right_pair(
    world, url, username, password
):
    with rolled_back():
        client = Client()
        before = snapshot()

        response = client.post(url, {"username": username, "password": password})

        assert_answered(response)
        signed_in_as = client.session.get("_auth_user_id")
        if signed_in_as is None:
            assert not changed(before, snapshot())
        else:
            assert (stripped(username), password) == ("teacher", INSTRUCTOR_PASSWORD)
            assert signed_in_as == str(world.instructor.pk)


# --- the public waitlist --------------------------------------------------------------------------------------


@examples(50)
@given(
    full_name=either(hostile_text, st.sampled_from(NAMES)),
    preferred_name=mostly(st.just(""), hostile_text),
    phone=mostly(valid_phone, hostile_text),
    email=mostly(valid_email, hostile_text),
    language=mostly(st.sampled_from(["ar", "es", "en"]), odd_values),
    consent=mostly(st.just("on"), st.sampled_from(["", "off", "0"])),
    website=mostly(st.just(""), hostile_text),
)
@example(  # a well-formed 320-character address: the form took it, the 254-character column did not (a 500)
    full_name="Amina Yusuf",
    preferred_name="",
    phone="",
    email="a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org",
    language="en",
    consent="on",
    website="",
)
def test_joining_a_waitlist_with_any_text_saves_it_as_typed_or_names_the_field(
    world, full_name, preferred_name, phone, email, language, consent, website
):
    data = {
        "full_name": full_name,
        "preferred_name": preferred_name,
        "phone": phone,
        "email": email,
        "preferred_language": language,
        "consent_data": consent,
        "website": website,
    }
    with rolled_back():
        before = snapshot()

        response = Client().post(f"/en/join/{world.cohort.pk}/", data)

        assert_answered(response)
        if not is_redirect(response):
            assert not changed(before, snapshot())
            return
        learner = Learner.objects.latest("pk")
        assert (learner.full_name, learner.preferred_name, learner.phone, learner.email) == (
            stripped(full_name),
            stripped(preferred_name),
            normalize_phone(stripped(phone)),  # stored in E.164 (core.phones)
            stripped(email),
        )
        assert learner.enrollments.get().status == Enrollment.Status.WAITLISTED


# --- a cohort's staff page: adding a learner, and the per-learner buttons ---------------------------------------


@pytest.fixture
def instructor_client(world):
    return signed_in(world.instructor)


@examples(40)
@given(
    which=mostly(st.just("new"), st.one_of(st.just("existing"), odd_values)),
    existing=odd_values,
    full_name=either(hostile_text, st.sampled_from(NAMES)),
    preferred_name=mostly(st.just(""), hostile_text),
    phone=mostly(valid_phone, hostile_text),
    email=mostly(valid_email, hostile_text),
    language=mostly(st.sampled_from(["ar", "zh-hans", "en"]), odd_values),
    consent=mostly(st.just("on"), st.sampled_from(["", "off"])),
)
def test_adding_a_learner_with_any_text_saves_it_as_typed_or_names_the_field(
    world, instructor_client, which, existing, full_name, preferred_name, phone, email, language, consent
):
    data = {
        "form": which,
        "existing-learner": existing,
        "new-full_name": full_name,
        "new-preferred_name": preferred_name,
        "new-phone": phone,
        "new-email": email,
        "new-preferred_language": language,
        "new-consent_data": consent,
    }
    with rolled_back():
        before = snapshot()

        response = instructor_client.post(f"/teach/cohorts/{world.cohort.pk}/add/", data)

        assert_answered(response)
        if not is_redirect(response):
            assert response.status_code == 400
            assert not changed(before, snapshot())
            return
        learner = Learner.objects.latest("pk")
        assert which == "new"
        assert (learner.full_name, learner.preferred_name, learner.phone, learner.email) == (
            stripped(full_name),
            stripped(preferred_name),
            normalize_phone(stripped(phone)),  # stored in E.164 (core.phones)
            stripped(email),
        )
        assert learner.enrollments.get().cohort == world.cohort


@examples(30)
@given(
    action=mostly(st.sampled_from(["admit", "withdraw", "complete"]), odd_values),
    who=mostly(st.sampled_from(["learner", "classmate"]), odd_values),
    reason=either(hostile_text, st.sampled_from(["Moved to Phoenix", "انتقلت إلى مدينة أخرى"])),
)
def test_a_cohort_page_button_with_any_values_acts_as_asked_or_says_why_not(
    world, instructor_client, action, who, reason
):
    enrollments = {"learner": world.enrollment, "classmate": world.classmate.enrollments.get()}
    enrollment = enrollments.get(who)
    data = {"action": action, "enrollment": enrollment.pk if enrollment else who, "reason": reason}
    with rolled_back():
        before = snapshot()

        response = instructor_client.post(f"/teach/cohorts/{world.cohort.pk}/", data)

        assert_answered(response)
        if not is_redirect(response):
            assert response.status_code == 400
            assert not changed(before, snapshot())
            return
        enrollment.refresh_from_db()
        expected = {"withdraw": Enrollment.Status.WITHDRAWN, "complete": Enrollment.Status.COMPLETED}
        assert enrollment.status == expected[action]
        if action == "withdraw":
            assert enrollment.withdrawal_reason == stripped(reason)


@examples(30)
@given(
    completed_on=either(
        hostile_text,
        st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)).map(str),
    )
)
def test_recording_everyones_completion_with_any_date_acts_or_says_why_not(world, instructor_client, completed_on):
    """Once the cohort has ended: a day still to come, one before the cohort began, or no date at all is said
    on the field with nothing changed; an acceptable day completes those who attended, on that day."""
    from cohorts.models import Cohort

    with rolled_back():
        Cohort.objects.filter(pk=world.cohort.pk).update(end_date=TODAY - datetime.timedelta(days=1))
        before = snapshot()
        statuses = list(Enrollment.objects.order_by("pk").values_list("status", "completed_on"))

        response = instructor_client.post(
            f"/teach/cohorts/{world.cohort.pk}/", {"action": "complete_all", "completed_on": completed_on}
        )

        assert_answered(response)
        if not is_redirect(response):
            assert response.status_code == 400
            assert not changed(before, snapshot())
            assert list(Enrollment.objects.order_by("pk").values_list("status", "completed_on")) == statuses
            return
        for day in Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).values_list("completed_on", flat=True):
            assert world.cohort.start_date <= day <= TODAY


# --- roster import ----------------------------------------------------------------------------------------------

HEADINGS = ["name", "preferred name", "phone", "email", "language"]
roster_cells = st.tuples(
    either(hostile_text, st.sampled_from(NAMES)),
    mostly(st.just(""), hostile_text),
    mostly(valid_phone, hostile_text),
    mostly(valid_email, hostile_text),
    mostly(st.sampled_from(["", "ar", "Spanish", "العربية", "zh-CN"]), hostile_text),
).map(list)


def csv_file(rows, encoding):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([HEADINGS, *rows])
    return out.getvalue().encode(encoding)


def excel_cell(text):
    """What an .xlsx cell can hold: XML has no place for most control characters, and reads line ends as \\n."""
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def xlsx_file(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [HEADINGS, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@examples(30)
@given(
    kind=st.sampled_from(["csv", "csv-utf-16", "xlsx", "bytes"]),
    rows=st.lists(roster_cells, min_size=1, max_size=4),
    junk=st.binary(max_size=3000),
    file_name=st.one_of(st.sampled_from(["roster.csv", "roster.xlsx", "roster"]), hostile_text),
)
def test_a_roster_file_with_any_cells_imports_them_as_written_or_refuses_them(
    world, instructor_client, kind, rows, junk, file_name
):
    if kind == "xlsx":
        rows = [[excel_cell(cell) for cell in row] for row in rows]
        data = xlsx_file(rows)
    elif kind == "bytes":
        data = junk
    else:
        data = csv_file(rows, "utf-16" if kind == "csv-utf-16" else "utf-8")
    url = f"/teach/cohorts/{world.cohort.pk}/import/"
    upload = SimpleUploadedFile(re.sub(r"[\x00-\x1f\"/\\]", "", file_name)[:200] or "roster", data)
    with rolled_back():
        before = snapshot()
        newest = Learner.objects.latest("pk").pk

        response = instructor_client.post(url, {"file": upload})

        assert_answered(response)
        assert not changed(before, snapshot())  # reading and checking a file saves nothing
        if not is_redirect(response):
            assert response.status_code == 400
            return
        preview = instructor_client.get(response.url)
        assert preview.status_code == 200
        roster = preview.context["roster"]
        response = instructor_client.post(
            url,
            {
                "step": "confirm",
                "token": preview.context["token"],
                "expected": preview.context["valid_count"],
                "action": "valid",
                "consent_data": "on",
            },
        )

        assert_answered(response)
        if not is_redirect(response):
            assert response.status_code == 400
            assert not changed(before, snapshot())
            return
        created = Learner.objects.filter(pk__gt=newest).order_by("pk")
        # Each new learner is a valid row as written in the file, the phone in E.164 (rows count from 2, under the headings).
        expected = [
            [stripped(cell) for cell in rows[row.number - 2][:4]] for row in roster.valid_rows if row.learner_id is None
        ]
        expected = [[name, preferred, normalize_phone(phone), email] for name, preferred, phone, email in expected]
        assert [[learner.full_name, learner.preferred_name, learner.phone, learner.email] for learner in created] == (
            expected
        )
        assert Enrollment.objects.filter(cohort=world.cohort, learner__in=created).count() == len(expected)


# --- recording a milestone ---------------------------------------------------------------------------------------


@examples(40)
@given(
    milestone=mostly(st.sampled_from(["plan", "grant"]), odd_values),
    achieved_on=mostly(st.sampled_from(["2026-09-01", "2026-10-05", "10/01/2026"]), odd_values),
    amount=mostly(st.sampled_from(["", "5000", "10000.00"]), odd_values),
    note=either(hostile_text, st.sampled_from(NAMES)),
    evidence=st.one_of(
        st.none(),
        st.tuples(either(hostile_text, st.sampled_from(["license.pdf", "رخصة.jpg"])), st.sampled_from(["", ".pdf"])),
    ),
    back_to=mostly(st.just("cohort"), odd_values),
)
def test_recording_a_milestone_with_any_input_saves_it_as_typed_or_names_the_field(
    world, instructor_client, milestone, achieved_on, amount, note, evidence, back_to
):
    types = {"plan": world.plan.pk, "grant": world.grant.pk}
    data = {
        "milestone_type": types.get(milestone, milestone),
        "achieved_on": achieved_on,
        "amount": amount,
        "note": note,
    }
    if evidence is not None:
        name = re.sub(r"[\x00-\x1f\"/\\]", "", evidence[0])[:300] + evidence[1]
        data["evidence"] = SimpleUploadedFile(name or "x.pdf", b"%PDF-1.7 evidence", content_type="application/pdf")
    cohort = world.cohort.pk if back_to == "cohort" else back_to
    url = f"/incentives/milestones/record/{world.learner.pk}/?{urlencode({'cohort': cohort})}"
    with rolled_back():
        before = snapshot()

        response = instructor_client.post(url, data)

        assert_answered(response)
        if not is_redirect(response):
            assert response.status_code == 400
            assert not changed(before, snapshot())
            return
        achievement = MilestoneAchievement.objects.latest("pk")
        assert achievement.note == stripped(note)
        # The type chosen; a generated number may happen to be another type's id, which is a fair choice too.
        assert achievement.milestone_type.pk == int(data["milestone_type"])


# --- check-in codes ----------------------------------------------------------------------------------------------


@pytest.fixture
def learner_client(world):
    return signed_in(world.learner.user)


@examples(40)
@given(
    code=either(
        hostile_text,
        st.tuples(
            st.sampled_from(["", " ", "-", "\u3000", *MARKS]),
            either(st.sampled_from(["", "  ", "\t", "\u2028", "-"]), hostile_text),
        ),
    ),
    method=st.sampled_from(["post", "get"]),
)
def test_any_check_in_code_is_refused_or_marks_the_learner_present_and_never_fails(world, learner_client, code, method):
    if isinstance(code, tuple):  # the right code, typed with something around it
        code = code[0] + world.tonight.check_in_code + code[1]
    with rolled_back():
        before = snapshot()

        response = getattr(learner_client, method)("/learn/check-in/", {"code": code})

        assert_answered(response)
        mark = Attendance.objects.filter(enrollment=world.enrollment, session=world.tonight).first()
        event("marked present" if mark else "not marked")
        if mark is None:
            assert not changed(before, snapshot())
        else:
            assert method == "post" and mark.status == Attendance.Status.PRESENT
            assert "".join(code.split()).replace("-", "").upper() == world.tonight.check_in_code


# --- the roster an instructor saves ------------------------------------------------------------------------------

STATUSES = ["present", "late", "excused", "absent"]
roster_row = st.fixed_dictionaries(
    {
        "status": mostly(st.sampled_from(STATUSES), odd_values),
        "minutes": mostly(st.sampled_from(["", "5", "20"]), odd_values),
        "note": mostly(st.just(""), either(hostile_text, st.sampled_from(NAMES))),
        "expected": mostly(st.just(""), odd_values),
    }
)


@examples(50)
@given(
    rows=st.dictionaries(mostly(st.sampled_from(["learner", "classmate"]), odd_values), roster_row, max_size=4),
    action=mostly(st.sampled_from(["save", "all_present"]), odd_values),
    htmx_row=st.one_of(st.none(), mostly(st.sampled_from(["learner", "classmate"]), odd_values)),
)
@example(  # PostgreSQL refuses NUL in text
    rows={"learner": {"status": "present", "minutes": "", "note": "a\x00b", "expected": ""}},
    action="save",
    htmx_row=None,
)
def test_saving_a_roster_with_bogus_marks_and_ids_saves_what_was_posted_or_nothing(
    world, instructor_client, rows, action, htmx_row
):
    ids = {"learner": world.enrollment.pk, "classmate": world.classmate.enrollments.get().pk}
    data = {"action": action}
    posted = {}  # enrollment id (as posted) -> row
    for who, row in rows.items():
        key = ids.get(who, who)
        posted[str(key)] = row
        data.update({f"{name}-{key}": value for name, value in row.items()})
    headers = {}
    if htmx_row is not None:
        data["row"] = ids.get(htmx_row, htmx_row)
        headers["HTTP_HX_REQUEST"] = "true"
    with rolled_back():
        before = snapshot()

        response = instructor_client.post(f"/teach/sessions/{world.tonight.pk}/", data, **headers)

        assert_answered(response)
        marks = list(Attendance.objects.filter(session=world.tonight))
        if response.status_code >= 400:
            assert not marks
        if not marks:
            assert not changed(before, snapshot())
        for mark in marks:
            row = posted.get(str(mark.enrollment_id))
            if row is None or row["status"] not in STATUSES:  # unmarked: only "all present" fills it in
                assert action == "all_present" and mark.status == Attendance.Status.PRESENT
                continue
            assert mark.status == row["status"]
            assert mark.note == stripped(row["note"])


# --- a learner's certificate: shown publicly or not ---------------------------------------------------------------


@examples(25)
@given(shown=st.one_of(st.sampled_from(["1", "0"]), odd_values), extra=st.dictionaries(any_text, hostile_text))
def test_the_certificate_visibility_switch_takes_any_value_and_shows_details_only_for_1(
    world, learner_client, shown, extra
):
    with rolled_back():
        response = learner_client.post(f"/credentials/{world.credential.pk}/visibility/", {**extra, "shown": shown})

        assert_answered(response)
        assert is_redirect(response)
        world.credential.refresh_from_db()
        assert world.credential.shown_publicly is (shown == "1")


# --- the public verification page ----------------------------------------------------------------------------------


@examples(25)
@given(
    code=either(hostile_text, st.just("the code")),
    name=either(hostile_text, st.sampled_from(["Amina Yusuf", " amina  YUSUF "])),
    how=st.sampled_from(["form", "page", "name"]),
)
def test_verifying_any_code_or_name_answers_without_failing_and_records_nothing(world, code, name, how):
    if code == "the code":
        code = world.credential.verification_code
    with rolled_back():
        before = snapshot()
        client = Client()

        if how == "form":
            response = client.get("/verify/", {"code": code})
        else:
            path = "/verify/" + "".join(f"%{byte:02X}" for byte in code.encode()) + "/"
            response = client.get(path) if how == "page" else client.post(path, {"name": name})

        assert_answered(response)
        assert not changed(before, snapshot())


# --- the Wagtail admin's forms (as a program manager) ----------------------------------------------------------


@dataclass
class AdminForm:
    url: str
    model: str  # app_label.Model
    data: object  # world -> the valid submission
    text: tuple  # the free-text fields, kept as typed when the form is accepted


ADMIN_FORMS = {
    "bonus rule": AdminForm(
        "/admin/bonus-rules/new/",
        "incentives.BonusRule",
        lambda world: {
            "name": "Job readiness bonus",
            "tracks": ["job_training"],
            "amount": "200.00",
            "threshold_percent": "75",
            "minimum_sessions": "4",
            "late_counts_as_attended": "on",
            "excused_left_out": "on",
            "active_from": "2026-01-01",
        },
        ("name",),
    ),
    "savings match rule": AdminForm(
        "/admin/savings-match-rules/new/",
        "incentives.SavingsMatchRule",
        lambda world: {"name": "Household savings match", "monthly_cap": "100.00", "active_from": "2026-01-01"},
        ("name",),
    ),
    "milestone type": AdminForm(
        "/admin/milestone-types/new/",
        "incentives.MilestoneType",
        lambda world: {"name": "Business license", "slug": "business-license", "description": "", "sort_order": "0"},
        ("name", "description"),
    ),
    "milestone reached": AdminForm(
        "/admin/milestones/new/",
        "incentives.MilestoneAchievement",
        lambda world: {
            "learner": world.classmate.pk,
            "milestone_type": world.plan.pk,
            "achieved_on": "2026-10-01",
            "note": "",
        },
        ("note",),
    ),
    "learner": AdminForm(
        "/admin/learners/new/",
        "people.Learner",
        lambda world: {
            "full_name": "Amina Yusuf",
            "preferred_name": "",
            "partner": world.partner.pk,
            "preferred_language": "ar",
            "phone": "+1 555 010 2000",
            "email": "",
            "consent_data": "on",
        },
        ("full_name", "preferred_name"),
    ),
    "cohort": AdminForm(
        "/admin/cohorts/new/",
        "cohorts.Cohort",
        lambda world: {
            "name": "Evening English 2",
            "course": world.cohort.course_id,
            "partner": world.partner.pk,
            "term": "",
            "status": "planned",
            "start_date": "2026-11-02",
            "end_date": "2026-12-18",
            "time_zone": "America/New_York",
            "delivery": "in_person",
            "location": "",
            "capacity": "20",
            "when_seat_frees": "promote",
            "offer_hours": "72",
            "at_risk_after_absences": "2",
            "meeting_times-TOTAL_FORMS": "0",
            "meeting_times-INITIAL_FORMS": "0",
            "meeting_times-MIN_NUM_FORMS": "0",
            "meeting_times-MAX_NUM_FORMS": "1000",
        },
        ("name", "term", "location"),
    ),
    "session": AdminForm(
        "/admin/sessions/new/",
        "cohorts.Session",
        lambda world: {
            "cohort": world.cohort.pk,
            "date": "2026-10-12",
            "start_time": "18:00",
            "end_time": "20:00",
            "topic": "",
        },
        ("topic",),
    ),
    "holiday": AdminForm(
        "/admin/holidays/new/",
        "cohorts.Holiday",
        lambda world: {"name": "Thanksgiving", "date": "2026-11-26", "partner": ""},
        ("name",),
    ),
    "credential pathway": AdminForm(
        "/admin/credential-pathways/new/",
        "credentials.CredentialPathway",
        lambda world: {
            "name": "Job readiness",
            "description": "",
            "tracks": ["job_training"],
            "template": world.credential.pathway.template_id,
        },
        ("name", "description"),
    ),
    "API token": AdminForm(
        "/admin/api-tokens/new/",
        "wagtailcore.APIToken",
        lambda world: {"name": "Front desk tablet", "user": world.manager.pk},
        ("name",),
    ),
}


@pytest.fixture
def manager_client(world):
    return signed_in(world.manager)


@examples(40)
@given(
    form=st.sampled_from(list(ADMIN_FORMS)),
    text=st.lists(either(hostile_text, st.sampled_from(NAMES)), min_size=3, max_size=3),
    odd=st.one_of(st.none(), st.none(), st.tuples(st.integers(0, 20), odd_values)),
)
@example(form="bonus rule", text=["Training\x00bonus", "", ""], odd=None)  # PostgreSQL refuses NUL in text
def test_an_admin_form_with_any_text_saves_it_as_typed_or_names_the_field(world, manager_client, form, text, odd):
    """The bonus rule, savings rule, milestone type and milestone, learner, cohort, session, holiday,
    credential pathway and API token forms: free text in every text field, and now and then an odd value
    in one of the others (an id, a number, a date or a choice)."""
    form = ADMIN_FORMS[form]
    data = form.data(world) | dict(zip(form.text, text, strict=False))
    if odd is not None:
        others = sorted(set(data) - set(form.text))
        data[others[odd[0] % len(others)]] = odd[1]
    model = apps.get_model(form.model)
    with rolled_back():
        before = snapshot()
        newest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        response = manager_client.post(form.url, data)

        assert_answered(response)
        created = list(model.objects.filter(pk__gt=newest))
        if not created:
            assert not changed(before, snapshot())
            return
        assert len(created) == 1
        assert {name: getattr(created[0], name) for name in form.text} == {
            name: stripped(data[name]) for name in form.text
        }


@examples(30)
@given(
    action=st.sampled_from(["verify", "reject"]),
    reason=either(hostile_text, st.sampled_from(["The photo is blurred; send it again.", "الصورة غير واضحة"])),
    extra=st.dictionaries(st.sampled_from(["reason", "status", "next", "action"]), odd_values, max_size=2),
)
def test_verifying_or_rejecting_a_milestone_with_any_body_keeps_the_reason_as_typed_or_asks_for_one(
    world, manager_client, action, reason, extra
):
    achievement = world.achievement
    with rolled_back():
        before = snapshot()

        response = manager_client.post(
            f"/admin/milestones/{action}/{achievement.pk}/",
            {**extra, "reason": reason} if action == "reject" else extra,
        )

        assert_answered(response)
        achievement.refresh_from_db()
        if not is_redirect(response):
            assert not changed(before, snapshot())
            return
        if action == "verify":
            assert achievement.status == MilestoneAchievement.Status.VERIFIED
        else:
            assert achievement.status == MilestoneAchievement.Status.REJECTED
            assert achievement.rejection_reason == stripped(reason)


# --- query strings: the outcomes dashboard, the funder report, exports, admin listings and the course index ------

OUTCOME_PAGES = [
    "/admin/outcomes/",
    "/admin/outcomes/report/",
    "/admin/outcomes/report/print/",
    "/admin/outcomes/export/cohorts/csv/",
    "/admin/outcomes/export/all/xlsx/",
]
OUTCOME_FILTERS = ["partner", "track", "course", "cohort", "term", "language", "start", "end", "page", "period"]


@examples(25)
@given(
    page=st.sampled_from(OUTCOME_PAGES),
    who=st.sampled_from(["manager", "partner_staff"]),
    query=st.lists(st.tuples(st.one_of(st.sampled_from(OUTCOME_FILTERS), any_text), odd_values), max_size=5),
)
@example(page="/admin/outcomes/", who="manager", query=[("term", "Fall\x00"), ("start", "2026-02-30")])
def test_outcome_filters_in_any_query_string_answer_without_failing_or_writing(world, page, who, query):
    client = signed_in(getattr(world, who))
    with rolled_back():
        before = snapshot()

        response = client.get(f"{page}?{urlencode(query)}")

        assert_answered(response)
        assert not changed(before, snapshot())


LISTINGS = {
    "/admin/cohorts/": ["partner", "course", "status", "term"],
    "/admin/sessions/": ["cohort", "date", "status"],
    "/admin/enrollments/": ["cohort", "status", "partner"],
    "/admin/learners/": ["partner"],
    "/admin/holidays/": ["partner", "date"],
    "/admin/monthly-bonuses/": ["month", "partner", "status", "rule"],
    "/admin/savings-deposits/": ["month", "partner", "status", "rule"],
    "/admin/milestones/": ["status", "milestone_type", "partner"],
    "/admin/credentials/": ["pathway", "cohort", "status", "partner"],
    "/admin/credential-pathways/": [],
    "/admin/bonus-rules/": [],
    "/admin/api-tokens/": [],
    "/admin/reports/audit-trail/": ["learner", "user", "action", "timestamp_after"],
    "/en/programs/": ["track", "level", "language", "format"],
}


@examples(30)
@given(
    listing=st.sampled_from(list(LISTINGS)),
    search=odd_values,
    query=st.lists(
        st.tuples(
            st.sampled_from(["partner", "cohort", "status", "month", "date", "ordering", "p", "page"]), odd_values
        ),
        max_size=4,
    ),
)
@example(listing="/admin/learners/", search="Amina\x00", query=[])  # PostgreSQL refuses NUL in a query too
@example(listing="/admin/cohorts/", search="Evening " * 8000, query=[])  # SQLite refuses LIKE patterns over 50 kB
@example(listing="/admin/api-tokens/", search="x" * 60_000, query=[])
@example(listing="/admin/reports/audit-trail/", search="", query=[("partner", "9" * 30)])  # an id no integer holds
@example(listing="/admin/reports/audit-trail/", search="", query=[("partner", "Amina " * 9000)])
def test_search_and_filters_of_any_listing_answer_without_failing_or_writing(
    world, manager_client, listing, search, query
):
    pairs = [
        ("q", search),
        *query,
        *((name, value) for name, (_other, value) in zip(LISTINGS[listing], query, strict=False)),
    ]
    with rolled_back():
        before = snapshot()

        response = manager_client.get(f"{listing}?{urlencode(pairs)}")

        assert_answered(response)
        assert not changed(before, snapshot())


# --- the JSON API -------------------------------------------------------------------------------------------------

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), hostile_text),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=8,
)
api_mark = st.fixed_dictionaries(
    {
        "enrollment_id": mostly(st.sampled_from(["learner", "classmate"]), json_value),
        "status": mostly(st.sampled_from(STATUSES), json_value),
        "note": mostly(either(hostile_text, st.sampled_from(NAMES)), json_value),
    },
    optional={"minutes_late": either(st.integers(1, 60), json_value), "expected": mostly(st.just(""), json_value)},
)


@examples(40)
@given(body=mostly(st.fixed_dictionaries({"marks": st.lists(api_mark, min_size=1, max_size=2)}), json_value))
def test_attendance_through_the_api_with_any_json_saves_what_was_sent_or_names_the_field(world, body):
    ids = {"learner": world.enrollment.pk, "classmate": world.classmate.enrollments.get().pk}
    if isinstance(body, dict) and isinstance(body.get("marks"), list):
        for mark in body["marks"]:
            if isinstance(mark, dict) and isinstance(mark.get("enrollment_id"), str) and mark["enrollment_id"] in ids:
                mark["enrollment_id"] = ids[mark["enrollment_id"]]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token}")
    with rolled_back():
        before = snapshot()

        response = client.post(
            f"/api/v1/sessions/{world.tonight.pk}/attendance",
            data=json.dumps(body, allow_nan=True),
            content_type="application/json",
        )

        assert_answered(response)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code >= 300:
            assert not changed(before, snapshot())
            return
        sent = {mark["enrollment_id"]: mark for mark in body["marks"]}
        for mark in Attendance.objects.filter(session=world.tonight):
            assert mark.status == sent[mark.enrollment_id]["status"]
            assert mark.note == stripped(sent[mark.enrollment_id]["note"])


# --- the learner's portal account setup ----------------------------------------------------------------------------


@examples(25)
@given(
    code=mostly(st.just("the code"), hostile_text),
    password=either(hostile_text, st.sampled_from(["correct horse battery staple", "كلمة سر طويلة جدا ٢٠٢٦"])),
    again=mostly(st.just("same"), hostile_text),
)
def test_setting_up_a_portal_account_with_any_code_and_password_keeps_the_password_as_typed_or_refuses_it(
    world, code, password, again
):
    with rolled_back():
        issued = invite_to_portal(learner=world.classmate, by=world.manager)
        data = {
            "code": issued.code if code == "the code" else code,
            "new_password1": password,
            "new_password2": password if again == "same" else again,
        }
        before = snapshot()
        client = Client()

        response = client.post("/accounts/setup/", data)

        assert_answered(response)
        if not is_redirect(response):
            assert not changed(before, snapshot())
            return
        world.classmate.refresh_from_db()
        assert world.classmate.user.check_password(password)  # not stripped: a password is kept exactly
        assert client.session["_auth_user_id"] == str(world.classmate.user.pk)
