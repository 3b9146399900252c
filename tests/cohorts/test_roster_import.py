"""Roster import (/teach/cohorts/<pk>/import/): every kind of bad row and bad file is named in the preview and
nothing is saved; names in any script survive CSV (UTF-8, with BOM, UTF-16) and Excel; the import is
all-or-nothing unless only the valid rows are chosen; seats then the waitlist in file order; and no text in any
cell makes the reader fail (Hypothesis)."""

import codecs
import csv
import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.models import ModelLogEntry

from cohorts import imports, services
from cohorts.models import Enrollment
from people.models import Learner, Role
from tests.builders import stop_clock
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, InstructorFactory, LearnerFactory, UserFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 10, 20, 16, 0, tzinfo=UTC)
HEADER = ["name", "preferred name", "phone", "email", "language"]
HEADER_FIELDS = ("full_name", "preferred_name", "phone", "email", "language")  # the columns HEADER names
FORMULA = "which spreadsheets run as a formula"


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


@pytest.fixture
def cohort(db, clock):
    """Three seats, one taken by Amina (amina@example.org, 555 010 1000)."""
    cohort = CohortFactory(name="English Level 1", capacity=3)
    EnrollmentFactory(
        cohort=cohort,
        learner=LearnerFactory(
            partner=cohort.partner, full_name="Amina Yusuf", email="amina@example.org", phone="555 010 1000"
        ),
    )
    return cohort


@pytest.fixture
def staff(cohort):
    return UserFactory(role=Role.PARTNER_STAFF, partner=cohort.partner)


@pytest.fixture
def client_in(client, staff):
    client.force_login(staff)
    return client


# --- building files ------------------------------------------------------------------------------------------


def csv_bytes(*rows, header=HEADER, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(*rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_url(cohort):
    return f"/teach/cohorts/{cohort.pk}/import/"


def upload(client, cohort, data, name="roster.csv"):
    return client.post(import_url(cohort), {"step": "upload", "file": SimpleUploadedFile(name, data)})


def preview(client, cohort, data, name="roster.csv"):
    """Upload, follow to the preview; returns (preview response, token)."""
    uploaded = upload(client, cohort, data, name)
    assert uploaded.status_code == 302, page_text(uploaded)
    token = re.search(r"preview=([\w-]+)", uploaded["Location"]).group(1)
    return client.get(uploaded["Location"]), token


def confirm(client, cohort, token, *, action="all", expected, consent=True):
    data = {"step": "confirm", "token": token, "action": action, "expected": expected}
    if consent:
        data["consent_data"] = "on"
    return client.post(import_url(cohort), data)


def visible_text(html):
    """Markup as a person reads it: inline tags dropped, other tags and white space read as one space."""
    html = re.sub(r"</?(?:span|strong|em|bdi|a)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page_text(response):
    return visible_text(response.content.decode())


def row_text(response, number):
    match = re.search(rf'<tr id="row-{number}".*?</tr>', response.content.decode(), re.S)
    assert match, f"row {number} is not in the preview"
    return visible_text(match.group(0))


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def nothing_saved(cohort):
    """Asserts, at the end of the test, that no learner or enrollment was created."""
    learners, enrollments = Learner.objects.count(), Enrollment.objects.count()
    yield
    assert (Learner.objects.count(), Enrollment.objects.count()) == (learners, enrollments)


# --- each kind of bad row ------------------------------------------------------------------------------------

OK = ["Zahra Ahmadi", "Zahra", "+1 555 010 2000", "zahra@example.org", "ar"]
BAD_ROWS = {
    "missing name": ([["", "Ami", "555 010 2222", "", ""]], 2, "The name is missing."),
    "invalid email": ([["Ali Hassan", "", "", "ali@", "en"]], 2, "Not a valid email address."),
    "invalid phone": (
        [["Ali Hassan", "", "12ab", "", ""]],
        2,
        "Enter a phone number, for example +1 555 010 2000. Numbers without a country code are read as +1 numbers.",
    ),
    "duplicate name and phone": (
        [["Ali Hassan", "", "555 010 2222", "", ""], ["ali hassan", "", "(555) 010-2222", "", ""]],
        3,
        "Same name and phone as row 2.",
    ),
    "duplicate email": (
        [["Ali Hassan", "", "", "ali@example.org", ""], ["Ali H.", "", "", "ALI@example.org", ""]],
        3,
        "Same email as row 2.",
    ),
    "already enrolled, same email": (
        [["A. Yusuf", "", "", "Amina@Example.org", ""]],
        2,
        "Already in this cohort as Amina Yusuf (Active, same email).",
    ),
    "already enrolled, same phone": (
        [["A. Yusuf", "", "+1 (555) 010-1000", "", ""]],
        2,
        "Already in this cohort as Amina Yusuf (Active, same phone).",
    ),
    "already enrolled, same name": (
        [["Amina Yusuf", "", "", "", ""]],
        2,
        "Already in this cohort as Amina Yusuf (Active, same name).",
    ),
    "unknown language": ([["Ali Hassan", "", "", "", "Klingon"]], 2, "“Klingon” is not one of the program's languages"),
    "control character": (
        [["Ali\x00Hassan", "", "", "", ""]],
        2,
        "This cell holds invisible control characters (such as a line break) that cannot be saved.",
    ),
    "name too long": ([["A" * 201, "", "", "", ""]], 2, "Longer than 200 characters (it has 201)."),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_each_kind_of_bad_row_is_named_on_its_row_and_nothing_is_saved(client_in, cohort, nothing_saved, kind):
    rows, number, message = BAD_ROWS[kind]
    data = csv_bytes(*rows, OK)  # a good row after the bad one: one bad row stops "import all"

    shown, token = preview(client_in, cohort, data)
    refused = confirm(client_in, cohort, token, action="all", expected=len(rows))

    assert "Problem" in row_text(shown, number)
    assert message in row_text(shown, number)
    assert "Ready" in row_text(shown, len(rows) + 2)
    assert refused.status_code == 400
    assert "Nothing was imported." in page_text(refused)


@pytest.mark.parametrize(
    "cell, column",
    [
        ('=HYPERLINK("http://evil.example","Click")', 0),
        ("+SUM(1,2)", 1),
        ("-2+3", 2),
        ("@SUM(1)", 3),
        ("=1+1", 4),
        ("  =cmd|' /C calc'!A0", 0),  # leading spaces are no disguise
    ],
)
def test_formula_cells_are_refused_and_never_imported(client_in, cohort, nothing_saved, cell, column):
    row = ["Ali Hassan", "", "", "", ""]
    row[column] = cell
    character = cell.strip()[0]

    shown, token = preview(client_in, cohort, csv_bytes(row))
    only_valid = confirm(client_in, cohort, token, action="valid", expected=0)

    assert f"This cell starts with {character}, {FORMULA}" in row_text(shown, 2)
    assert "Import only" not in page_text(shown)  # nothing valid to offer
    assert only_valid.status_code == 400


def test_an_international_phone_number_is_not_mistaken_for_a_formula(client_in, cohort):
    shown, _token = preview(client_in, cohort, csv_bytes(["Ali Hassan", "", "+44 20 7946 0958", "", ""]))

    assert "Ready" in row_text(shown, 2)
    assert FORMULA not in page_text(shown)


# --- bad files -----------------------------------------------------------------------------------------------

BAD_FILES = {
    "unreadable encoding": (
        "name\r\nAli \x81\x8d\x9d\r\n".encode("latin-1"),
        "The letters in this file could not be read",
    ),
    "empty": (b"", "The submitted file is empty."),
    "only blank lines": (b"\r\n \r\n,,,\r\n", "The file is empty."),
    "headings but no learners": (csv_bytes(), "The file has column headings but no learners under them."),
    "no name column": (csv_bytes(["555 010 2000"], header=["phone"]), "No column holds the learners' names."),
    "too many rows": (
        csv_bytes(*[[f"Person {n}", "", "", "", ""] for n in range(imports.MAX_ROWS + 1)]),
        "The file has more than 1000 learners.",
    ),
    "too big": (b"name\r\n" + b"x" * imports.MAX_BYTES, "The file is larger than 2 MB."),
    "a PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "neither a CSV file nor an Excel workbook"),
    "a picture": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither a CSV file nor an Excel workbook"),
    "binary bytes": (bytes(range(256)) * 4, "neither a CSV file nor an Excel workbook"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "This is an old Excel file (.xls)."),
    "a zip that is not a workbook": (b"PK\x03\x04" + b"\x00" * 100, "neither a CSV file nor an Excel workbook"),
    "two name columns": (csv_bytes(["a", "b"], header=["Name", "Full name"]), "Two columns hold the same thing"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_gets_one_clear_message_and_nothing_is_stored(client_in, cohort, nothing_saved, kind):
    data, message = BAD_FILES[kind]

    response = upload(client_in, cohort, data)

    assert response.status_code == 400
    assert message in page_text(response)
    assert "cohorts.roster_import" not in client_in.session or not client_in.session["cohorts.roster_import"]


def test_a_docx_renamed_to_xlsx_is_refused(client_in, cohort, nothing_saved):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(client_in, cohort, out.getvalue(), name="roster.xlsx")

    assert response.status_code == 400
    assert "neither a CSV file nor an Excel workbook" in page_text(response)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(client_in, cohort, nothing_saved):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (imports.MAX_UNPACKED_BYTES + 1))
    assert len(out.getvalue()) < imports.MAX_BYTES

    response = upload(client_in, cohort, out.getvalue(), name="roster.xlsx")

    assert response.status_code == 400
    assert "Unpacked, this workbook is larger than 50 MB." in page_text(response)


def test_the_content_decides_the_format_not_the_name(client_in, cohort):
    shown, _token = preview(client_in, cohort, xlsx_bytes(OK), name="roster.csv")

    assert "Ready" in row_text(shown, 2)


def test_a_windows_1252_file_is_read_with_a_note(client_in, cohort):
    shown, _token = preview(client_in, cohort, csv_bytes(["José Núñez", "", "", "", "Español"], encoding="cp1252"))

    assert "José Núñez" in row_text(shown, 2)
    assert "read as Western European text (Windows-1252)" in page_text(shown)


def test_european_excel_semicolons_and_heading_variants_are_understood(client_in, cohort):
    data = csv_bytes(
        ["Zahra Ahmadi", "Zahra", "555 010 2000", "z@example.org", "العربية", "keep out"],
        header=["Full Name", "PREFERRED_NAME", "Phone number", "E-mail", "Language", "Notes"],
        delimiter=";",
    )

    shown, _token = preview(client_in, cohort, data)

    row = row_text(shown, 2)
    assert row.startswith("2 Ready New learner Zahra Ahmadi Zahra 555 010 2000 z@example.org العربية Arabic")
    assert "Columns not imported: Notes" in page_text(shown)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("العربيّة", "ar"),
        ("Español", "es"),
        ("espanol", "es"),
        ("es-MX", "es"),
        ("zh-Hans", "zh-hans"),
        ("中文", "zh-hans"),
        ("Chinese", "zh-hans"),
        ("pt-BR", "pt-br"),
        ("Português", "pt-br"),
        ("Kreyòl", "ht"),
        ("EN", "en"),
        ("", "en"),
        ("Klingon", None),
    ],
)
def test_language_cells_accept_codes_and_names(text, code):
    assert imports.language_code(text) == code


# --- names in any script survive --------------------------------------------------------------------------

NAMES = [
    ["فاطمة الزهراء أحمد", "فاطمة", "+1 555 010 2001", "", "Arabic"],
    ["王秀英", "秀英", "555 010 2002", "wang@example.org", "中文"],
    ["ዮሐንስ ተስፋዬ", "", "555 010 2003", "", ""],
    ["Nguyễn Thị Minh Khai", "Khai", "", "khai@example.org", "en"],
    ["\u200fمريم\u200f O'Neil", "", "555 010 2004", "", "Español"],  # RTL marks and an apostrophe, kept as written
]


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf-8-sig.csv", csv_bytes(*NAMES, encoding="utf-8-sig")),
        ("utf-8.csv", csv_bytes(*NAMES, encoding="utf-8")),
        ("utf-16.csv", csv_bytes(*NAMES, encoding="utf-16")),
        ("utf-16-tabs.txt", csv_bytes(*NAMES, encoding="utf-16", delimiter="\t")),  # Excel's "Unicode Text"
        ("roster.xlsx", xlsx_bytes(*NAMES)),
    ],
)
def test_names_in_any_script_round_trip_exactly(client_in, cohort, name, data):
    cohort.capacity = 10
    cohort.save()
    shown, token = preview(client_in, cohort, data, name=name)

    response = confirm(client_in, cohort, token, action="all", expected=len(NAMES))

    assert response.status_code == 302, page_text(response)
    saved = list(
        Learner.objects.filter(enrollments__cohort=cohort)
        .exclude(full_name="Amina Yusuf")
        .order_by("enrollments__pk")
        .values_list("full_name", "preferred_name", "phone", "email", "preferred_language")
    )
    assert saved == [
        ("فاطمة الزهراء أحمد", "فاطمة", "+15550102001", "", "ar"),
        ("王秀英", "秀英", "+15550102002", "wang@example.org", "zh-hans"),
        ("ዮሐንስ ተስፋዬ", "", "+15550102003", "", "en"),
        ("Nguyễn Thị Minh Khai", "Khai", "", "khai@example.org", "en"),
        ("\u200fمريم\u200f O'Neil", "", "+15550102004", "", "es"),
    ]
    assert "王秀英" in row_text(shown, 3)


# --- confirming --------------------------------------------------------------------------------------------


def test_importing_fills_the_free_seats_then_the_waitlist_in_file_order(client_in, cohort):
    rows = [[f"Learner {letter}", "", "", "", ""] for letter in "ABCDE"]
    shown, token = preview(client_in, cohort, csv_bytes(*rows))

    response = confirm(client_in, cohort, token, action="all", expected=5)

    assert "There are 2 free seats: the first 2 rows get them" in page_text(shown)
    assert response.status_code == 302 and response["Location"] == f"/teach/cohorts/{cohort.pk}/"
    assert texts(response) == ["Imported 5 learners: 2 enrolled, 3 on the waitlist."]
    statuses = dict(cohort.enrollments.values_list("learner__full_name", "status"))
    assert [statuses[f"Learner {letter}"] for letter in "AB"] == ["active", "active"]
    assert [e.learner.full_name for e in cohort.enrollments.waitlist().select_related("learner")] == [
        "Learner C",
        "Learner D",
        "Learner E",
    ]
    learner = Learner.objects.get(full_name="Learner A")
    assert (learner.partner, learner.consent_data, learner.consent_contact) == (cohort.partner, True, False)
    assert learner.consent_recorded_at == NOW


def test_the_import_is_recorded_once_in_the_audit_log_with_its_counts(client_in, cohort, staff):
    _shown, token = preview(client_in, cohort, csv_bytes(*[[f"Learner {n}", "", "", "", ""] for n in range(3)]))

    confirm(client_in, cohort, token, action="all", expected=3)

    entry = ModelLogEntry.objects.get(action="cohorts.roster.import")
    assert (entry.object_id, entry.user) == (str(cohort.pk), staff)
    assert entry.data == {"rows": 3, "created": 3, "reused": 0, "enrolled": 2, "waitlisted": 1}
    assert entry.message == "Roster imported from a file"


def test_a_failure_in_the_middle_saves_nothing(client_in, cohort, nothing_saved, monkeypatch):
    real_enroll, calls = services.enroll, []

    def enroll_failing_on_the_third(**kwargs):
        calls.append(kwargs["learner"].full_name)
        if len(calls) == 3:
            raise services.CohortError("The database went away.")
        return real_enroll(**kwargs)

    monkeypatch.setattr(services, "enroll", enroll_failing_on_the_third)
    _shown, token = preview(client_in, cohort, csv_bytes(*[[f"Learner {n}", "", "", "", ""] for n in range(5)]))

    response = confirm(client_in, cohort, token, action="all", expected=5)

    assert calls == ["Learner 0", "Learner 1", "Learner 2"]
    assert response.status_code == 400
    assert "Nothing was imported. Row 4 (Learner 2): The database went away. Nothing was imported." in page_text(
        response
    )
    assert not ModelLogEntry.objects.filter(action="cohorts.roster.import").exists()


def test_import_only_the_valid_rows_imports_exactly_those(client_in, cohort):
    rows = [
        ["Valid One", "", "", "", ""],
        ["", "no name", "", "", ""],
        ["Valid Two", "", "555 010 7777", "", ""],
        ["Bad Email", "", "", "bad@", ""],
        ["Valid Three", "", "", "three@example.org", "ar"],
    ]
    shown, token = preview(client_in, cohort, csv_bytes(*rows))

    all_refused = confirm(client_in, cohort, token, action="all", expected=3)
    response = confirm(client_in, cohort, token, action="valid", expected=3)

    assert "3 ready, 2 with problems" in page_text(shown)
    assert "Import only the 3 valid rows" in page_text(shown)
    assert "Import all" not in page_text(shown)
    assert all_refused.status_code == 400
    assert "2 rows have problems, so not every row can be imported." in page_text(all_refused)
    assert response.status_code == 302
    imported = set(Learner.objects.filter(enrollments__cohort=cohort).values_list("full_name", flat=True))
    assert imported == {"Amina Yusuf", "Valid One", "Valid Two", "Valid Three"}
    assert not Learner.objects.filter(full_name="Bad Email").exists()


def test_consent_must_be_confirmed(client_in, cohort, nothing_saved):
    _shown, token = preview(client_in, cohort, csv_bytes(OK))

    response = confirm(client_in, cohort, token, action="all", expected=1, consent=False)

    assert response.status_code == 400
    assert "Confirm that these people agreed to the program keeping their records." in page_text(response)


def test_a_learner_the_partner_knows_is_enrolled_not_created_twice(client_in, cohort):
    known = LearnerFactory(partner=cohort.partner, full_name="Chen Wei", phone="555 010 2000", consent_data=True)
    shown, token = preview(client_in, cohort, csv_bytes(["chen wei", "", "(555) 010-2000", "", ""]))

    response = confirm(client_in, cohort, token, action="all", expected=1)

    assert "Known learner: Chen Wei is enrolled, not added twice" in row_text(shown, 2)
    assert response.status_code == 302
    assert Learner.objects.filter(full_name__iexact="chen wei").count() == 1
    assert known.enrollments.get().status == Enrollment.Status.ACTIVE
    assert texts(response) == [
        "Imported 1 learner: 1 enrolled, 0 on the waitlist. 1 of them was already known to the program and was "
        "not added twice."
    ]


def test_a_row_matching_two_known_learners_is_left_to_staff(client_in, cohort):
    for email in ("chen@example.org", "chen.wei@example.org"):
        LearnerFactory(partner=cohort.partner, full_name="Chen Wei", phone="555 010 2000", email=email)

    shown, _token = preview(client_in, cohort, csv_bytes(["Chen Wei", "", "555 010 2000", "", ""]))

    assert "2 learners on file have this name and contact. Enroll the right one from the cohort page." in row_text(
        shown, 2
    )


def test_exactly_the_row_limit_is_accepted():
    data = csv_bytes(*[[f"Person {n}", "", "", "", ""] for n in range(imports.MAX_ROWS)])

    assert len(imports.read_roster(data).rows) == imports.MAX_ROWS


def test_rows_are_checked_again_at_confirm_when_the_cohort_changed(client_in, cohort, staff):
    _shown, token = preview(
        client_in, cohort, csv_bytes(["Zahra Ahmadi", "", "", "z@example.org", ""], ["Omar Farouk", "", "", "", ""])
    )
    # Meanwhile a colleague enrolls Zahra from the cohort page.
    services.enroll_new_learner(
        cohort=cohort,
        full_name="Zahra Ahmadi",
        email="z@example.org",
        preferred_language="en",
        consent_data=True,
        by=staff,
    )

    everyone = confirm(client_in, cohort, token, action="all", expected=2)
    valid_only = confirm(client_in, cohort, token, action="valid", expected=2)

    assert everyone.status_code == valid_only.status_code == 400
    assert "1 row has a problem" in page_text(everyone)
    assert "Already in this cohort as Zahra Ahmadi" in row_text(everyone, 2)
    assert "Something changed in this cohort since the preview." in page_text(valid_only)
    assert not Learner.objects.filter(full_name="Omar Farouk").exists()


def test_a_preview_cannot_be_confirmed_on_another_cohort(client_in, cohort, staff, nothing_saved):
    other = CohortFactory(partner=cohort.partner)
    _shown, token = preview(client_in, cohort, csv_bytes(OK))

    response = confirm(client_in, other, token, action="all", expected=1)

    assert response.status_code == 302 and response["Location"] == import_url(other)
    assert texts(response) == ["That preview is no longer available. Upload the file again."]


def test_a_preview_is_used_once(client_in, cohort):
    _shown, token = preview(client_in, cohort, csv_bytes(OK))

    confirm(client_in, cohort, token, action="all", expected=1)
    again = confirm(client_in, cohort, token, action="all", expected=1)

    assert again.status_code == 302 and again["Location"] == import_url(cohort)
    assert Learner.objects.filter(full_name="Zahra Ahmadi").count() == 1


def test_the_downloaded_template_imports_once_filled_in(client_in, cohort):
    template = client_in.get(f"/teach/cohorts/{cohort.pk}/import/template.csv").content
    filled = template + "فاطمة,,,,\r\n".encode()

    _shown, token = preview(client_in, cohort, filled)
    confirm(client_in, cohort, token, action="all", expected=1)

    assert Learner.objects.filter(full_name="فاطمة").exists()


def test_an_instructor_of_the_cohort_may_import(client, cohort):
    instructor = InstructorFactory(partner=cohort.partner)
    cohort.instructors.add(instructor)
    client.force_login(instructor)

    _shown, token = preview(client, cohort, csv_bytes(OK))
    response = confirm(client, cohort, token, action="all", expected=1)

    assert response.status_code == 302
    assert Learner.objects.get(full_name="Zahra Ahmadi").enrollments.get().cohort == cohort


# --- no text in any cell makes the reader fail -----------------------------------------------------------

SPECIAL = [
    "\u200f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "😀",
    "👩🏽‍🏫",
    "\x00",
    "\r\n",
    '"',
    ",",
    ";",
    "\t",
    "=",
    "+",
    "-",
    "@",
    " ",
]
cell_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SPECIAL) | st.text(max_size=3), max_size=12).map("".join),
    st.tuples(st.text(min_size=1, max_size=4), st.integers(50, 2500)).map(lambda pair: pair[0] * pair[1]),
)
table = st.lists(st.lists(cell_text, min_size=5, max_size=5), min_size=1, max_size=6)


def _read_and_check(data):
    try:
        roster = imports.read_roster(data)
    except imports.RosterFileError as error:
        return None, error
    imports.check_rows(roster.rows)
    return roster, None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=table, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_in_any_cell_yields_rows_or_row_errors(rows, encoding):
    roster, error = _read_and_check(csv_bytes(*rows, encoding=encoding))

    expected = [[cell.strip()[: imports.KEPT_CELL_LENGTH] for cell in row] for row in rows]
    expected = [row for row in expected if any(row)]
    if roster is None:
        assert not expected, error.message  # only a file without a single filled-in row is refused as a whole
        return
    assert [[row.values[key] for key in HEADER_FIELDS] for row in roster.rows] == expected
    for row in roster.rows:
        assert row.is_valid or all(isinstance(message, str) and message for m in row.errors.values() for message in m)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=table)
def test_any_text_an_excel_cell_can_hold_yields_rows_or_row_errors(rows):
    # Characters XML cannot hold are left out, and XML reads every line end as "\n", as Excel does.
    rows = [
        [ILLEGAL_CHARACTERS_RE.sub("", cell).replace("\r\n", "\n").replace("\r", "\n") for cell in row] for row in rows
    ]

    roster, error = _read_and_check(xlsx_bytes(*rows))

    expected = [[cell.strip()[: imports.KEPT_CELL_LENGTH] for cell in row] for row in rows]
    expected = [row for row in expected if any(row)]
    if roster is None:
        assert not expected, error.message
        return
    assert [[row.values[key] for key in HEADER_FIELDS] for row in roster.rows] == expected


@settings(max_examples=300, deadline=None)
@given(values=st.fixed_dictionaries({key: cell_text for key in imports.FIELDS}))
def test_checking_any_row_never_raises(values):
    rows = [imports.RosterRow(number=2, values=values), imports.RosterRow(number=3, values=dict(values))]

    imports.check_rows(rows)

    assert rows[1].errors or not values["full_name"].strip() or rows[0].errors  # the twin is a duplicate


def test_a_byte_order_mark_is_not_part_of_the_first_heading():
    data = codecs.BOM_UTF8 + b"Name\r\nAli\r\n"

    assert imports.read_roster(data).rows[0].values["full_name"] == "Ali"
