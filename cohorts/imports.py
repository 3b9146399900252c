"""Roster import: read a CSV or Excel (.xlsx) file of learners, check every row, and import them in one transaction.

Three steps, so each can be tested alone:

- `read_roster(data)` turns the file's bytes into rows. Pure: no database, and nothing a file holds makes it
  raise anything but `RosterFileError` (one clear message about the whole file). Each row keeps its text
  exactly as written, in any script.
- `check_roster(rows, cohort=...)` gives every row its per-field errors: missing name, invalid email or phone,
  unknown language, a cell a spreadsheet would run as a formula, control characters, the same person twice in
  the file, someone already in the cohort. Run again at the confirm step, because the cohort may have changed.
- `import_roster(...)` creates the new learners and enrolls every row in file order (the cohort's capacity
  decides who gets a seat and who goes to the waitlist), all in one transaction: any failure saves nothing.
"""

import codecs
import csv
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.errors import Refused
from core.phones import normalize_phone, same_phone, validate_phone
from core.spreadsheets import csv_bytes, looks_like_formula
from people.models import Learner, validate_latin_script

from . import services
from .models import Enrollment

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip; what it holds once unpacked
MAX_COLUMNS = 50  # an Excel sheet may claim 16,384 columns; names and contacts fit in far fewer
# Longer cells are errors whatever they hold (no field takes this much); keeping only the start keeps
# the preview stored between the two steps small.
KEPT_CELL_LENGTH = 300

FIELDS = ("full_name", "preferred_name", "phone", "email", "language", "name_latin")
FIELD_LABELS = {
    "full_name": gettext_lazy("Name"),
    "preferred_name": gettext_lazy("Preferred name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("Email"),
    "language": gettext_lazy("Language"),
    "name_latin": gettext_lazy("Name in Latin letters"),
}
MAX_LENGTHS = {"full_name": 200, "preferred_name": 100, "phone": 32, "email": 254, "language": 40, "name_latin": 200}
TEMPLATE_HEADER = ["name", "preferred name", "phone", "email", "language", "name in latin letters"]


# The words a column heading may use, compared without case, spaces or punctuation ("E-mail" is "email").
HEADER_ALIASES = {
    "full_name": [
        "name", "full name", "learner name", "learner", "student name", "student", "participant name",
        "participant", "nombre", "nombre completo", "nom", "nom complet", "姓名", "名字", "الاسم", "الاسم الكامل",
    ],
    "preferred_name": [
        "preferred name", "preferred", "nickname", "known as", "goes by", "call me", "nombre preferido", "apodo",
    ],
    "phone": [
        "phone", "phone number", "phone no", "telephone", "tel", "mobile", "mobile number", "mobile phone", "cell",
        "cell phone", "cell number", "whatsapp", "teléfono", "celular", "téléphone", "电话", "手机", "هاتف", "الهاتف",
        "رقم الهاتف",
    ],
    "email": [
        "email", "e-mail", "email address", "e-mail address", "mail", "correo", "correo electrónico", "courriel",
        "邮箱", "电子邮件", "البريد الإلكتروني",
    ],
    "language": [
        "language", "preferred language", "lang", "language code", "idioma", "langue", "语言", "اللغة",
    ],
    # The name as on official papers, for a name in another script; never a chosen nickname ("English name").
    "name_latin": [
        "name in latin letters", "name in latin", "latin name", "name latin", "name as on passport", "passport name",
        "name on passport", "name on papers",
    ],
}  # fmt: skip

# Names people write for the program's languages, beyond each language's code and its names in English and in
# itself (which come from settings.LANGUAGES, so a language added there is understood here at once).
LANGUAGE_ALIASES = {
    "en": ["english", "inglés", "anglais", "انجليزي", "الإنجليزية", "英语", "英文", "angle"],
    "es": ["spanish", "español", "castellano", "espagnol", "الإسبانية", "西班牙语"],
    "pt-br": ["portuguese", "português", "portuguese (brazil)", "brazilian", "葡萄牙语"],
    "ht": ["haitian creole", "haitian", "creole", "kreyòl", "créole", "créole haïtien", "kreyol ayisyen"],
    "zh-hans": ["chinese", "mandarin", "中文", "汉语", "普通话", "简体中文", "中国话", "zh-cn", "zh"],
    "ar": ["arabic", "عربي", "العربية", "عربية", "arabe", "árabe"],
}
DEFAULT_LANGUAGE = "en"
# The first bytes of files people upload by mistake: PDF, PNG, JPEG, GIF, a Windows program.
OTHER_FILE_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"MZ")


class RosterFileError(Refused):
    """The file as a whole cannot be read; the message says what to do."""


class ImportFailed(services.CohortError):
    """The import stopped at a row and was rolled back: nothing was saved."""


# --- reading the file --------------------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One learner's line. `number` is the row as a spreadsheet shows it (the headings are row 1)."""

    number: int
    values: dict  # field -> the cell's text, stripped of surrounding spaces, otherwise as written
    errors: dict = field(default_factory=dict)  # field (or "" for the row as a whole) -> [messages]
    language: str = DEFAULT_LANGUAGE  # the code the "language" cell means
    learner_id: int | None = None  # an existing learner of the partner this row is (enrolled, not created again)
    learner_name: str = ""

    def add_error(self, key, message):
        self.errors.setdefault(key, []).append(message)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def row_errors(self):
        return self.errors.get("", [])

    def field_errors(self, key):
        return self.errors.get(key, [])

    @property
    def language_label(self):
        return dict(settings.LANGUAGES).get(self.language, self.language)

    def cells(self):
        """(field, label, text, errors) for each column, in the template's order."""
        return [(key, FIELD_LABELS[key], self.values.get(key, ""), self.errors.get(key, [])) for key in FIELDS]


@dataclass
class RosterFile:
    rows: list
    file_format: str  # "xlsx", "utf-8", "utf-16" or "cp1252"
    ignored_columns: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # said about the whole file, not errors

    @property
    def valid_rows(self):
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_rows(self):
        return [row for row in self.rows if not row.is_valid]

    def as_data(self):
        """What the confirm step needs, as JSON-friendly data (errors are worked out again from it)."""
        return {
            "rows": [{"number": row.number, "values": row.values} for row in self.rows],
            "file_format": self.file_format,
            "ignored_columns": self.ignored_columns,
            "notes": self.notes,
        }

    @classmethod
    def from_data(cls, data):
        rows = [
            RosterRow(number=int(row["number"]), values={key: str(row["values"].get(key, "")) for key in FIELDS})
            for row in data["rows"]
        ]
        return cls(
            rows=rows,
            file_format=data["file_format"],
            ignored_columns=list(data.get("ignored_columns", [])),
            notes=list(data.get("notes", [])),
        )


def _not_a_roster_file():
    return RosterFileError(
        _(
            "This file is neither a CSV file nor an Excel workbook (.xlsx). Save the roster as one of those and try again."
        )
    )


def read_roster(data: bytes) -> RosterFile:
    """The rows of a CSV or XLSX roster. The format is told from the content, not the file's name."""
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            _("The file is larger than %(size)d MB. Split the roster into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise RosterFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        table, file_format, notes = _xlsx_table(data), "xlsx", []
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            _(
                "This is an old Excel file (.xls). In Excel choose Save As, then “Excel Workbook (.xlsx)” or “CSV UTF-8”."
            )
        )
    elif data.startswith(OTHER_FILE_SIGNATURES):
        raise _not_a_roster_file()
    else:
        text, file_format = _decode(data)
        notes = []
        if file_format == "cp1252":
            notes.append(
                _(
                    "This file is not UTF-8, so it was read as Western European text (Windows-1252). If names in "
                    "other alphabets look wrong below, save the file as “CSV UTF-8” and upload it again."
                )
            )
        table = _csv_table(text)
    return _rows_from_table(table, file_format, notes)


def _decode(data):
    """UTF-8 (with or without a byte order mark), then UTF-16 with its mark, then Windows-1252."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _unreadable() from None
    if b"\x00" in data:
        # Text in a one-byte encoding has no NUL bytes; a picture, PDF or program does.
        raise _not_a_roster_file()
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _unreadable() from None


def _unreadable():
    return RosterFileError(
        _(
            "The letters in this file could not be read: its encoding is not UTF-8, UTF-16 or Windows-1252. "
            "In Excel choose Save As, then “CSV UTF-8”, and upload that file."
        )
    )


def _csv_table(text):
    """Rows of cells, with each row's number. Commas, semicolons (European Excel) or tabs separate cells."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells[:MAX_COLUMNS]
    except csv.Error:
        raise RosterFileError(
            _("Row %(number)d could not be read: a quote is not closed or a cell is far too long.")
            % {"number": number + 1}
        ) from None


def _xlsx_table(data):
    import openpyxl  # only imports of Excel files pay for loading it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_roster_file() from None
    if unpacked > MAX_UNPACKED_BYTES:
        # A small upload that unpacks to gigabytes (a "zip bomb") is refused before anything reads it.
        raise RosterFileError(
            _("Unpacked, this workbook is larger than %(size)d MB. Save only the roster sheet, or save it as CSV.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        # Formulas are read as formulas (not their results), so they are seen and refused.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:
        # A .docx, .ods or damaged workbook fails in the zip, XML or openpyxl layers, each with its own
        # exception type; to the person uploading they all mean the same thing.
        raise _not_a_roster_file() from None
    return _xlsx_rows(workbook, sheet)


def _xlsx_rows(workbook, sheet):
    try:
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield number, [_cell_text(value) for value in cells]
    except Exception:  # a sheet's XML may be broken past its first rows (same reasoning as above)
        raise _not_a_roster_file() from None
    finally:
        workbook.close()


def _cell_text(value):
    """What an Excel cell shows: phone numbers typed as numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = getattr(value, "text", value)  # array formulas carry their formula in .text
    return str(text) if text is not None else ""


def _squeeze(text):
    """Compare headings and language names without case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", kept.casefold())


_HEADERS = {_squeeze(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}


def _rows_from_table(table, file_format, notes):
    header = None
    columns = {}  # cell index -> field
    ignored = []
    rows = []
    for number, cells in table:
        cells = [cell if isinstance(cell, str) else str(cell) for cell in cells]
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = number
            columns, ignored = _map_columns(cells)
            continue
        if len(rows) == MAX_ROWS:
            raise RosterFileError(
                _("The file has more than %(limit)d learners. Split it into files of %(limit)d rows or fewer.")
                % {"limit": MAX_ROWS}
            )
        values = dict.fromkeys(FIELDS, "")
        for index, key in columns.items():
            if index < len(cells):
                values[key] = cells[index].strip()[:KEPT_CELL_LENGTH]
        if not any(values.values()):
            continue  # only columns we do not import were filled in
        rows.append(RosterRow(number=number, values=values))
    if header is None:
        raise RosterFileError(_("The file is empty."))
    if not rows:
        raise RosterFileError(_("The file has column headings but no learners under them."))
    return RosterFile(rows=rows, file_format=file_format, ignored_columns=ignored, notes=notes)


def _map_columns(cells):
    columns, seen, ignored = {}, {}, []
    for index, heading in enumerate(cells):
        heading = heading.strip()
        if not heading:
            continue
        key = _HEADERS.get(_squeeze(heading))
        if key is None:
            ignored.append(heading[:60])
            continue
        if key in seen:
            raise RosterFileError(
                _("Two columns hold the same thing: “%(first)s” and “%(second)s”. Keep one and upload again.")
                % {"first": seen[key], "second": heading[:60]}
            )
        seen[key] = heading[:60]
        columns[index] = key
    if "full_name" not in seen:
        raise RosterFileError(
            _(
                "No column holds the learners' names. The first row must name the columns: "
                "name, preferred name, phone, email, language. Download the template to see how."
            )
        )
    return columns, ignored


# --- checking the rows -------------------------------------------------------------------------------------


@functools.cache
def _language_names():
    names = {}
    for code, label in settings.LANGUAGES:
        with translation.override("en"):
            english = str(label)
        info = get_language_info(code)
        for name in (
            code,
            code.replace("-", ""),
            english,
            info["name"],
            info["name_local"],
            *LANGUAGE_ALIASES.get(code, []),
        ):
            names.setdefault(_squeeze(name), code)
    return names


def language_code(text):
    """The program's language code a cell means ("Arabic", "العربية", "ar", "es-MX"), "" when blank, None if unknown."""
    if not text.strip():
        return DEFAULT_LANGUAGE
    names = _language_names()
    code = names.get(_squeeze(text))
    if code is None:
        # A regional code ("es-MX", "ar_SA", "pt-PT") means the language the program has.
        match = re.fullmatch(r"\s*([A-Za-z]{2,3})[-_][A-Za-z0-9-_]+\s*", text)
        if match:
            code = names.get(_squeeze(match.group(1)))
    return code


def _starts_like_formula(key, text):
    """A cell a spreadsheet would run as a formula (core.spreadsheets) is refused, never imported, so that a
    roster exported later cannot run anything on a colleague's computer."""
    if not looks_like_formula(text):
        return False
    if key == "phone" and text.startswith("+"):
        # +1 555 010 2000 is how international numbers are written; a valid phone number holds only digits,
        # spaces and ( ) . - after the plus, which no spreadsheet can run.
        try:
            validate_phone(text)
        except ValidationError:
            return True
        return False
    return True


def _has_control_characters(text):
    return any(unicodedata.category(character) in ("Cc", "Cs") for character in text)


def _name_key(name):
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


_email_validator = EmailValidator()


def check_row(row):
    """Per-field errors of one row, on its own. Sets `row.language`."""
    for key in FIELDS:
        text = row.values.get(key, "")
        if not text:
            continue
        if _starts_like_formula(key, text):
            row.add_error(
                key,
                _(
                    "This cell starts with %(character)s, which spreadsheets run as a formula, so it is not "
                    "imported. Remove the %(character)s and upload again."
                )
                % {"character": text[0]},
            )
            continue
        if _has_control_characters(text):
            row.add_error(
                key, _("This cell holds invisible control characters (such as a line break) that cannot be saved.")
            )
            continue
        if len(text) > MAX_LENGTHS[key]:
            row.add_error(
                key,
                _("Longer than %(limit)d characters (it has %(length)d).")
                % {"limit": MAX_LENGTHS[key], "length": len(text)},
            )
            continue
        if key == "email":
            try:
                _email_validator(text)
            except ValidationError:
                row.add_error(key, _("Not a valid email address."))
        elif key == "phone":
            try:
                validate_phone(text)
            except ValidationError as error:
                row.add_error(key, error.messages[0])
        elif key == "name_latin":
            try:
                validate_latin_script(text)
            except ValidationError as error:
                row.add_error(key, error.messages[0])
        elif key == "language":
            code = language_code(text)
            if code is None:
                row.add_error(
                    key,
                    _("“%(value)s” is not one of the program's languages (%(languages)s). Leave it empty for English.")
                    % {"value": text, "languages": ", ".join(str(name) for _code, name in settings.LANGUAGES)},
                )
            else:
                row.language = code
    if not row.values.get("full_name"):
        row.add_error("full_name", _("The name is missing."))


def check_duplicates(rows):
    """The same person twice in the file: same email, or same name and phone. The first one stays valid."""
    by_email, by_name = {}, {}
    for row in rows:
        name, phone, email = row.values["full_name"], row.values["phone"], row.values["email"].casefold()
        if email and "email" not in row.errors:
            first = by_email.setdefault(email, row)
            if first is not row:
                row.add_error("email", _("Same email as row %(row)d.") % {"row": first.number})
                continue
        if not name or "full_name" in row.errors:
            continue
        for first in by_name.get(_name_key(name), []):
            other_email = first.values["email"].casefold()
            if email and other_email and email != other_email:
                continue  # two people with one name, told apart by their emails
            if phone and first.values["phone"] and same_phone(phone, first.values["phone"]):
                row.add_error("full_name", _("Same name and phone as row %(row)d.") % {"row": first.number})
                break
            if not phone and not first.values["phone"] and not (email and other_email):
                row.add_error(
                    "full_name",
                    _("Same name as row %(row)d, with no phone or email to tell them apart.") % {"row": first.number},
                )
                break
        else:
            by_name.setdefault(_name_key(name), []).append(row)


def check_rows(rows):
    """Every check that needs no database. Never raises for any text in any cell."""
    for row in rows:
        row.errors = {}
        row.language = DEFAULT_LANGUAGE
        row.learner_id, row.learner_name = None, ""
        check_row(row)
    check_duplicates(rows)
    return rows


def check_roster(roster_file, *, cohort):
    """All checks, including against the cohort as it is now: who is already in it, and which rows are
    learners the partner already has (matched by name and phone or email), who are enrolled rather than
    created a second time. Two queries; lookups by index, so a long file against a large partner stays fast."""
    rows = check_rows(roster_file.rows)
    in_cohort = _PeopleIndex(
        (enrollment.learner, enrollment)
        for enrollment in Enrollment.objects.filter(cohort=cohort)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("learner")
        .only("status", "learner__full_name", "learner__preferred_name", "learner__phone", "learner__email")
    )
    known = _PeopleIndex(
        (learner, None)
        for learner in Learner.objects.filter(partner_id=cohort.partner_id)
        .exclude(pk__in=in_cohort.learner_ids)
        .only("full_name", "phone", "email")
    )
    for row in rows:
        if "full_name" in row.errors:
            continue
        already = _already_in_cohort(row, in_cohort)
        if already:
            row.add_error("", already)
            continue
        matches = known.same_person(row)
        if len(matches) > 1:
            row.add_error(
                "",
                _("%(count)d learners on file have this name and contact. Enroll the right one from the cohort page.")
                % {"count": len(matches)},
            )
        elif matches:
            row.learner_id, row.learner_name = matches[0].pk, matches[0].full_name
    return roster_file


class _PeopleIndex:
    """Learners (each with an enrollment or None) found by email, phone (in E.164, core.phones) or name."""

    def __init__(self, pairs):
        self.by_email, self.by_phone, self.by_name = {}, {}, {}
        self.learner_ids = []
        for learner, enrollment in pairs:
            self.learner_ids.append(learner.pk)
            entry = (learner, enrollment)
            if learner.email:
                self.by_email.setdefault(learner.email.casefold(), []).append(entry)
            if learner.phone:
                self.by_phone.setdefault(normalize_phone(learner.phone), []).append(entry)
            self.by_name.setdefault(_name_key(learner.full_name), []).append(entry)

    def with_email(self, email):
        return self.by_email.get(email.casefold(), []) if email else []

    def with_phone(self, phone):
        return self.by_phone.get(normalize_phone(phone), []) if phone else []

    def with_name(self, name):
        return self.by_name.get(_name_key(name), [])

    def same_person(self, row):
        """Learners with the row's name and its email or phone."""
        by_contact = self.with_email(row.values["email"]) + self.with_phone(row.values["phone"])
        named = {learner.pk for learner, _enrollment in self.with_name(row.values["full_name"])}
        found = {learner.pk: learner for learner, _enrollment in by_contact if learner.pk in named}
        return list(found.values())


def _already_in_cohort(row, index):
    for entries, how in (
        (index.with_email(row.values["email"]), _("same email")),
        (index.with_phone(row.values["phone"]), _("same phone")),
        (index.with_name(row.values["full_name"]), _("same name")),
    ):
        if entries:
            learner, enrollment = entries[0]
            return _("Already in this cohort as %(name)s (%(status)s, %(how)s).") % {
                "name": learner.display_name,
                "status": enrollment.get_status_display(),
                "how": how,
            }
    return ""


# --- importing ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0  # new learner records
    reused: int = 0  # learners the partner already had
    enrolled: int = 0  # took a seat
    waitlisted: int = 0  # went to the waitlist

    @property
    def total(self):
        return self.enrolled + self.waitlisted

    def summary(self):
        text = ngettext(
            "Imported %(total)d learner: %(enrolled)d enrolled, %(waitlisted)d on the waitlist.",
            "Imported %(total)d learners: %(enrolled)d enrolled, %(waitlisted)d on the waitlist.",
            self.total,
        ) % {"total": self.total, "enrolled": self.enrolled, "waitlisted": self.waitlisted}
        if self.reused:
            text += " " + ngettext(
                "%(count)d of them was already known to the program and was not added twice.",
                "%(count)d of them were already known to the program and were not added twice.",
                self.reused,
            ) % {"count": self.reused}
        return text


@transaction.atomic
def import_roster(*, cohort, rows, by, consent_data: bool, consent_contact: bool = False) -> ImportResult:
    """Create the rows' new learners and enroll every row, in file order, in one transaction.

    `rows` must have passed `check_roster` (only valid rows). The person importing confirms that these people
    agreed to the program keeping their records (`consent_data`); without it nothing is imported. Any failure
    raises `ImportFailed` naming the row, and the transaction saves nothing.
    """
    if not consent_data:
        raise ImportFailed(_("Confirm that these people agreed to the program keeping their records."))
    if any(not row.is_valid for row in rows):
        raise ImportFailed(_("Some rows have problems; nothing was imported."))
    now = timezone.now()
    known = Learner.objects.in_bulk([row.learner_id for row in rows if row.learner_id])
    learners, new = [], []
    for row in rows:
        learner = known.get(row.learner_id) if row.learner_id else None
        if learner is None or learner.partner_id != cohort.partner_id:
            learner = Learner(
                partner_id=cohort.partner_id,
                full_name=row.values["full_name"],
                name_latin=row.values.get("name_latin", ""),
                preferred_name=row.values["preferred_name"],
                phone=row.values["phone"],
                email=row.values["email"],
                preferred_language=row.language,
                consent_data=True,
                consent_contact=consent_contact,
                consent_recorded_at=now,
            )
            try:
                learner.full_clean()
            except ValidationError as error:
                raise _failed(row, " ".join(error.messages)) from error
            new.append(learner)
        learners.append(learner)
    Learner.objects.bulk_create(new)
    result = ImportResult(created=len(new), reused=len(rows) - len(new))
    for row, learner in zip(rows, learners, strict=True):
        try:
            enrollment = services.enroll(learner=learner, cohort=cohort, by=by)
        except services.CohortError as error:
            raise _failed(row, error.message) from error
        if enrollment.status == Enrollment.Status.WAITLISTED:
            result.waitlisted += 1
        else:
            result.enrolled += 1
    log(
        cohort,
        "cohorts.roster.import",
        user=by,
        data={
            "rows": len(rows),
            "created": result.created,
            "reused": result.reused,
            "enrolled": result.enrolled,
            "waitlisted": result.waitlisted,
        },
    )
    return result


def _failed(row, message):
    return ImportFailed(
        _("Row %(number)d (%(name)s): %(problem)s Nothing was imported.")
        % {"number": row.number, "name": row.values["full_name"], "problem": message}
    )


def template_csv() -> bytes:
    """The headings to fill in (core.spreadsheets: with a byte order mark, so Excel opens any script)."""
    return csv_bytes([TEMPLATE_HEADER])
