"""The Outcomes pages in the Wagtail admin: who may open each one, what partner staff see, the charts' text
alternatives, the downloads (CSV and XLSX with the same filters), the funder report and its PDF, bad filters,
right-to-left, and a page that makes the same queries whatever the filters and however much data."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import Track
from tests.builders import cohort_on, signed_in

from .world import FILTER_SETS, day, more_of_everything

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "instructor",  # teaches Evening English (Northside)
    "other_instructor",  # teaches another Northside cohort
    "partner_staff",  # Northside
    "other_partner_staff",  # Unidos
    "manager",
]
NO_ADMIN = {"anonymous", "learner", "instructor", "other_instructor"}
URLS = {
    "dashboard": "/admin/outcomes/",
    "dashboard filtered": "/admin/outcomes/?track=esol&start=2026-10-01&end=2026-10-31",
    "cohorts CSV": "/admin/outcomes/export/cohorts/csv/",
    "figures XLSX": "/admin/outcomes/export/figures/xlsx/",
    "workbook": "/admin/outcomes/export/all/xlsx/",
    "funder report": "/admin/outcomes/report/",
    "printable report": "/admin/outcomes/report/print/",
    "report PDF": "/admin/outcomes/report/pdf/?start=2026-01-01&end=2026-12-31",
}


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- who may open what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", URLS)
def test_only_program_managers_and_partner_staff_open_outcomes(client, world, view, role):
    response = signed_in(client, world.user(role)).get(URLS[view])

    if role in NO_ADMIN:
        # The admin turns away anyone without admin access to its sign-in page.
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    else:
        assert response.status_code == 200


def test_someone_with_admin_access_but_no_role_for_outcomes_gets_a_403(client, world):
    from django.contrib.auth.models import Permission

    editor = world.instructor
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = signed_in(client, editor).get("/admin/outcomes/")

    assert response.status_code == 403
    assert "for program managers and partner staff" in text_of(response)


def test_the_outcomes_menu_is_shown_to_those_who_may_open_it(client, world):
    manager_page = signed_in(client, world.manager).get("/admin/").content.decode()
    client.logout()
    editor = world.other_instructor
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor_page = signed_in(client, editor).get("/admin/").content.decode()

    assert "/admin/outcomes/report/" in manager_page
    assert "/admin/outcomes/" not in editor_page


# --- what each sees --------------------------------------------------------------------------------------------


def test_the_manager_sees_every_partner_with_figures_charts_and_tables(client, world):
    page = text_of(signed_in(client, world.manager).get("/admin/outcomes/"))

    assert "People served 6" in page
    assert "Attendance rate 75.0% 12 of 16 marks" in page
    assert "Citizenship English" in page and "Evening English" in page
    assert "Unidos Community Services" in page


def test_partner_staff_see_only_their_partner_on_the_page_and_in_its_choices(client, world):
    response = signed_in(client, world.partner_staff).get("/admin/outcomes/")
    page = response.content.decode()

    assert "People served" in page and "Evening English" in page
    assert "Unidos" not in page and "Citizenship English" not in page
    assert 'name="partner"' not in page  # nothing to choose


def cohort_table_rows(response):
    """{cohort: its cells as shown} of the dashboard's cohort table."""
    table = re.search(
        r'<section class="outcomes-section" id="cohorts">(.*?)</section>', response.content.decode(), re.S
    )
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table.group(1), re.S)
    return {name: re.findall(r"<td[^>]*>(.*?)</td>", cells) for name, cells in rows}


def test_the_cohort_table_shows_one_page_of_cohorts_at_a_time_each_with_its_own_figures(client, world):
    for number in range(25):  # newer than the world's cohorts, so they fill the first page
        cohort_on(Track.ESOL, partner=world.northside, name=f"November cohort {number:02}", start_date=day(11, 9))
    signed_in(client, world.manager)

    first = cohort_table_rows(client.get("/admin/outcomes/"))
    second_page = client.get("/admin/outcomes/", {"page": 2})
    second = cohort_table_rows(second_page)

    assert list(first) == [f"November cohort {number:02}" for number in range(25)]
    assert list(second) == ["Forklift Mornings", "Warehouse Skills", "Citizenship English", "Evening English"]
    assert "Page 2 of 2" in text_of(second_page)
    # Evening English: 4 took a seat, 1 active, 1 waiting, 1 completed, 2 withdrew; 5 sessions, 10 hours,
    # 18 learner-hours, 9 of 13 marks present or late; 3 of 4 still there after four weeks; 1 of 3 completed.
    assert second["Evening English"][-11:] == [
        "4",
        "1",
        "1",
        "1",
        "2",
        "5",
        "10.0",
        "18.0",
        "69.2%",
        "75.0%",
        "33.3%",
    ]


def test_partner_staff_downloads_hold_only_their_partners_rows(client, world):
    response = signed_in(client, world.partner_staff).get("/admin/outcomes/export/cohorts/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    names = {row[0] for row in rows[rows.index([]) + 2 :]}
    assert names == {"Evening English", "Warehouse Skills", "Forklift Mornings"}


def test_every_chart_has_a_text_alternative_and_its_numbers(client, world):
    page = signed_in(client, world.manager).get("/admin/outcomes/").content.decode()

    charts = re.findall(r'<svg class="outcomes-chart__svg"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', page)
    assert len(charts) == 4  # weekly attendance, funnel, credentials, milestones
    for labels in charts:
        for label in labels.split():
            assert f'id="{label}"' in page
    assert "Of 10 enrollments (waitlist included), 7 took a seat and 1 completed" in page
    assert "2 credentials issued from September 2026 to November 2026; the most in October 2026 (1)." in page
    assert page.count("Show the numbers") == 4
    assert 'class="outcomes-chart__value"' in page  # the funnel's numbers are written beside its bars


def test_the_pages_use_no_inline_script_or_style_for_the_content_security_policy():
    templates = Path(settings.BASE_DIR, "outcomes", "templates")
    for template in templates.rglob("*.html"):
        source = template.read_text()
        assert "style=" not in source, template
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert not re.search(r"\son[a-z]+=", source), template  # no inline event handlers


def test_the_dashboard_reads_right_to_left_in_arabic(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    page = signed_in(client, world.manager).get("/admin/outcomes/").content.decode()

    assert 'dir="rtl"' in page


# --- bad filters ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-10-10&end=2026-10-01",
        "start=yesterday",
        "partner=9999",
        "cohort=abc",
        "track=%00",
        "page=-3",
        "page=999",
    ],
)
def test_bad_filters_explain_themselves_and_never_fail(client, world, query):
    response = signed_in(client, world.manager).get(f"/admin/outcomes/?{query}")

    assert response.status_code == 200
    if not query.startswith("page="):
        assert "Some filters need fixing" in text_of(response)
        assert 'class="error-message"' in response.content.decode() or "help-critical" in response.content.decode()


def test_the_end_before_the_start_is_named_on_its_field(client, world):
    page = text_of(signed_in(client, world.manager).get("/admin/outcomes/?start=2026-10-10&end=2026-10-01"))

    assert "The end of the period must be on or after its start." in page


def test_a_download_with_bad_filters_goes_back_to_the_dashboard_to_explain(client, world):
    response = signed_in(client, world.manager).get("/admin/outcomes/export/cohorts/csv/?start=nope")

    assert response.status_code == 302
    assert response.url == "/admin/outcomes/?start=nope"


@pytest.mark.parametrize(
    "url",
    ["/admin/outcomes/export/nothing/csv/", "/admin/outcomes/export/cohorts/pdf/", "/admin/outcomes/export/all/csv/"],
)
def test_an_unknown_download_is_a_404(client, world, url):
    assert signed_in(client, world.manager).get(url).status_code == 404


# --- downloads -----------------------------------------------------------------------------------------------


def test_the_csv_is_utf8_with_a_bom_and_says_what_was_counted(client, world):
    response = signed_in(client, world.manager).get(
        f"/admin/outcomes/export/programs/csv/?track={Track.ESOL}&start=2026-09-01&end=2026-11-16"
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="outcomes-programs-2026-09-01-to-2026-11-16.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Period", "2026-09-01 – 2026-11-16"]
    assert ["Program", "English (ESOL)"] in rows
    header = rows.index([]) + 1
    assert rows[header][:3] == ["Program", "People served", "Enrollments"]
    assert rows[header + 1][:3] == ["English (ESOL)", "5", "5"]


def test_text_a_spreadsheet_would_run_is_neutralized(client, world):
    world.esol.name = '=HYPERLINK("http://evil")'
    world.esol.save()

    response = signed_in(client, world.manager).get("/admin/outcomes/export/cohorts/csv/")

    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_the_workbook_has_every_table_with_numbers_as_numbers(client, world):
    response = signed_in(client, world.manager).get("/admin/outcomes/export/all/xlsx/?start=&end=")
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == [
        "Headline figures",
        "Cohorts",
        "By program",
        "By partner organization",
        "Attendance by week",
        "Enrollment funnel",
        "Credentials and milestones",
        "Milestones reached",
        "Monthly bonuses",
    ]
    figures = {row[0]: row[1] for row in workbook["Headline figures"].iter_rows(values_only=True) if row and row[0]}
    assert figures["People served (different learners)"] == 6
    assert figures["Attendance rate"] == pytest.approx(0.75)
    assert figures["Bonus dollars paid"] == 600
    assert figures["Period"] == "… – …"


# --- the funder report ----------------------------------------------------------------------------------------


def test_the_funder_report_opens_on_the_period_with_activity_unless_told_otherwise(client, world):
    # Every class of the world is in autumn 2026; last calendar year (2025) had none.
    default = text_of(signed_in(client, world.manager).get("/admin/outcomes/report/"))
    last_year = text_of(client.get("/admin/outcomes/report/?start=2025-01-01&end=2025-12-31"))
    this_year = text_of(client.get("/admin/outcomes/report/?start=2026-01-01&end=2026-12-31"))

    assert "7 September 2026 to 16 November 2026" in default  # the first day a cohort ran, to today
    assert "Unduplicated people served 6" in default
    assert "Hours of instruction 18.0" in default
    assert "Unduplicated people served 0" in last_year
    assert "Unduplicated people served 6" in this_year
    assert "Last federal fiscal year (October to September)" in this_year


def test_the_report_pdf_holds_the_figures(client, world):
    response = signed_in(client, world.manager).get("/admin/outcomes/report/pdf/?start=2026-01-01&end=2026-12-31")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Program outcomes" in text
    assert "Unduplicated people served 6" in text
    assert "SEED grant dollars $15,000.00" in text
    assert "English (ESOL)" in text and "Job training" in text


def test_partner_staff_report_holds_only_their_partner(client, world):
    response = signed_in(client, world.partner_staff).get("/admin/outcomes/report/pdf/?start=2026-01-01&end=2026-12-31")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Unduplicated people served 5" in re.sub(r"\s+", " ", text)
    assert "Unidos" not in text


# --- queries ---------------------------------------------------------------------------------------------------


def page_queries(client, filters):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/admin/outcomes/", filters).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["manager", "partner_staff"])
def test_the_dashboard_makes_the_same_queries_whatever_the_filters_and_the_data(client, world, role):
    signed_in(client, world.user(role))
    filter_sets = [
        {
            key: value.format(northside=world.northside.pk, course=world.esol.course_id, cohort=world.esol.pk)
            for key, value in filters.items()
        }
        for filters in FILTER_SETS
    ]
    page_queries(client, {})  # the first admin page of a test creates the user's admin profile
    small = [page_queries(client, filters) for filters in filter_sets]
    more_of_everything(world)
    larger = [page_queries(client, filters) for filters in filter_sets]

    assert len(set(small + larger)) == 1, (small, larger)
    # The figures' 13 (see test_figures) and the admin's own 10: session, user, the second-factor device
    # (django-otp), permissions, profile, locales, menu.
    assert small[0] <= 23
