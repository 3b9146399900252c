"""What a certificate says, read back the way its readers get it: poppler's real `pdftotext` (what search,
screen readers and employers' applicant systems extract), its word boxes for the order words are laid out
in, and the statement a template fills in. Hours in every interface language's number format, sentences
in the certificate's direction with names isolated, names in every script recoverable as text, the short
verification link on one line, and each fact of the achievement stated once."""

import dataclasses
import datetime
import html
import re
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from wagtail.models import Locale

from credentials import pdf, services
from credentials.pdf import CertificateData, render_certificate, render_certificates

from .test_pdf import qr_codes_in

CODE = "7K2M-Q9XD-4HRT-8BZC-N3WE-JP6F-VA1S"
LINK = "https://pathways.example.org/v/7K2MQ9XD4HRT8BZCN3WEJP6FVA1S"
# The Arabic name holds the two words whose ligatures broke extraction: "الله" (one glyph in Noto Naskh
# Arabic) and "عبد".
ARABIC_NAME = "عبد الله الزهراء"
PATHWAY = "English for Everyday Life — Level 1"
PARTNER = "Northside Refugee Center"


def pdftotext(content, *options):
    """The text poppler's pdftotext extracts, without the embedding marks (U+202A–U+202E) it puts around
    right-to-left runs."""
    extracted = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return re.sub("[\u202a-\u202e]", "", extracted)


PUNCTUATION = ".,،"


@dataclasses.dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float


def words_of(content):
    """Each word pdftotext finds, where it is on the page (its -bbox output). A right-to-left word is given
    in the order its glyphs run across the page; it is turned back to the order it is read in."""
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
        pdftotext(content, "-bbox"),
    )
    words = []
    for left, top, right, text in boxes:
        text = html.unescape(text)
        if pdf.text_direction(text) == "rtl":
            text = text[::-1]
        words.append(Word(text, float(left), float(top), float(right)))
    return words


def line_of(words, text):
    """The words on the line that holds `text`, left to right as printed, without the punctuation that ends
    them ("Center،", "ساعة.")."""
    anchor = next(word for word in words if word.text.strip(PUNCTUATION) == text)
    line = sorted((word for word in words if abs(word.top - anchor.top) < 3), key=lambda word: word.left)
    return [
        dataclasses.replace(word, text=word.text.strip(PUNCTUATION)) for word in line if word.text.strip(PUNCTUATION)
    ]


def certificate(name="Ana María Gómez", **changes):
    """A certificate as services.draft fills it: placeholder values isolated."""
    values = {
        "name_as_printed": name,
        "pathway_name": PATHWAY,
        "partner_name": PARTNER,
        "issued_on": datetime.date(2026, 12, 7),
        "hours": Decimal("36"),
        "start_date": datetime.date(2026, 9, 8),
        "end_date": datetime.date(2026, 12, 4),
        "verification_code": CODE,
        "verify_url": LINK,
        "title": "Certificate of Completion",
        "body": f"{pdf.isolate(name)} completed {pdf.isolate(PATHWAY)} at {pdf.isolate(PARTNER)}.",
        "signatories": (("Maya Okafor", "Program Manager", None),),
    }
    values.update(changes)
    return CertificateData(**values)


# --- 1. hours, as each language writes numbers ---------------------------------------------------------------

# Worked out by hand from Django's number formats: a comma for decimals in Spanish, Brazilian Portuguese
# and Arabic (Django has no Haitian Creole format, so the default point); no grouping of thousands.
HOURS = {
    "en": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37.5", "37.25": "37.25"},
    "es": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37,5", "37.25": "37,25"},
    "pt-br": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37,5", "37.25": "37,25"},
    "ht": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37.5", "37.25": "37.25"},
    "zh-hans": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37.5", "37.25": "37.25"},
    "ar": {"10": "10", "20.00": "20", "100": "100", "1E+1": "10", "37.5": "37,5", "37.25": "37,25"},
}


def translated_template(world, language):
    """The pathway's template translated into `language`, saying only how many hours (and whose)."""
    template = world.pathway.template
    if language == "en":
        translated = template
    else:
        locale, _created = Locale.objects.get_or_create(language_code=language)
        translated = template.copy_for_translation(locale)
    translated.body = "{learner_name}: {hours}"
    translated.save()
    return translated


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(HOURS))
def test_hours_print_as_the_certificates_language_writes_the_number(world, language):
    translated_template(world, language)
    world.learner.preferred_language = language
    world.learner.save()
    templates = services.Templates(world.pathway.template)
    printed = {}
    for hours in HOURS[language]:
        draft = services.draft(
            learner=world.learner, pathway=world.pathway, cohort=world.cohort, hours=Decimal(hours), templates=templates
        )
        assert draft.data.language == language
        printed[hours] = draft.data.body.split(": ")[1].strip(pdf.FIRST_STRONG_ISOLATE + pdf.POP_DIRECTIONAL_ISOLATE)
    assert printed == HOURS[language]

    # and on paper, as extracted: never "1E+1"
    ten = services.draft(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, hours=Decimal("1E+1"), templates=templates
    )
    text = pdftotext(render_certificate(ten.data))
    assert "E+" not in text
    assert re.search(r"(?<![\d,.])10(?![\d,.])", text)


def test_a_fraction_of_an_hour_takes_the_general_plural_not_the_arabic_dual():
    content = render_certificate(arabic_certificate(body="أحسنت.", hours=Decimal("37.5")))
    assert_hours_read_as_one_phrase(words_of(content), "37,5")
    assert "ساعتان" not in pdftotext(content)  # "two hours"


# --- 2. direction: the certificate's language decides, names are isolated -----------------------------------


def test_an_english_sentence_that_opens_with_an_arabic_name_reads_left_to_right():
    words = words_of(render_certificate(certificate(ARABIC_NAME)))
    line = line_of(words, "completed")
    texts = [word.text for word in line]
    # the English words in English order, left to right ...
    english = [texts.index(word) for word in ("completed", "English", "Everyday", "Northside", "Refugee")]
    assert english == sorted(english), texts
    # ... after the whole name, which reads right to left within itself (عبد rightmost of its three words)
    name = [next(word for word in line if word.text == part) for part in ARABIC_NAME.split()]
    completed = next(word for word in line if word.text == "completed")
    assert max(word.right for word in name) < completed.left, texts
    assert name[0].left > name[1].left > name[2].left, texts


def arabic_certificate(**changes):
    values = {
        "language": "ar",
        "title": "شهادة إتمام",
        "body": (
            f"نشهد بأن {pdf.isolate(ARABIC_NAME)} قد أتمّ برنامج {pdf.isolate(PATHWAY)} لدى {pdf.isolate(PARTNER)}، "
            f"بحضور {pdf.isolate('36')} ساعة."
        ),
    }
    return certificate(ARABIC_NAME, **{**values, **changes})


def assert_hours_read_as_one_phrase(words, number="36"):
    line = line_of(words, "ساعة")
    texts = [word.text for word in line]
    hours = texts.index("ساعة")
    # right to left: the number just before "ساعة" in reading order, so just right of it on the page
    assert texts[hours + 1] == number, texts


def test_in_the_arabic_certificate_latin_names_and_numbers_stay_where_they_are_written():
    words = words_of(render_certificate(arabic_certificate()))
    assert_hours_read_as_one_phrase(words)
    # the partner's Latin name in one piece, in its own order, on one line
    line = [word.text for word in line_of(words, "Northside")]
    start = line.index("Northside")
    assert line[start : start + 3] == ["Northside", "Refugee", "Center"], line


def test_in_the_arabic_certificate_the_hours_after_a_latin_course_name_stay_with_their_unit():
    """A template that leaves the hours out: the sheet states them after the course name ("... Level 1 ·
    36 ساعة"), where the number used to join the Latin run and print at the far end of the line."""
    words = words_of(render_certificate(arabic_certificate(body=f"أتمّ {pdf.isolate(ARABIC_NAME)} البرنامج بنجاح.")))
    assert_hours_read_as_one_phrase(words)


def test_sentences_take_the_certificates_direction_and_names_are_isolated_in_the_html():
    page = pdf.certificate_html(certificate(ARABIC_NAME))
    body = re.search(r'<div class="body"([^>]*)>(.*?)</div>', page, re.S)
    assert 'dir="rtl"' not in body[1]  # the English sentence inherits the English sheet's ltr
    assert f'<span class="value unbroken">\u2068{ARABIC_NAME}\u2069</span>' in body[2]
    assert '<section class="sheet letter-landscape" id="certificate-0" lang="en" dir="ltr"' in page


# --- 3. names in every script come back out as text -------------------------------------------------------------

NAMES = {
    "arabic": ARABIC_NAME,
    "arabic written as one word": "عبدالله محمد",
    "chinese": "王小明",
    "amharic": "አበበ ቢቂላ",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "haitian creole": "Wòdlèy Pòl-Mèsidò",
    "russian": "Анна Петровна Смирнова",
}


@pytest.fixture(scope="module")
def in_every_script():
    items = [certificate(name, body="Well done.") for name in NAMES.values()]
    return dict(zip(NAMES, render_certificates(items), strict=True))


@pytest.mark.parametrize("script", list(NAMES))
def test_the_printed_name_is_extracted_by_pdftotext_as_it_was_written(in_every_script, script):
    name = NAMES[script]
    lines = [unicodedata.normalize("NFC", line.strip()) for line in pdftotext(in_every_script[script]).splitlines()]
    assert name in lines  # the name's own line, letter for letter (NFC: the same text, however composed)


# --- 4. the printed link --------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper_size", ["letter", "a4"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_verification_link_is_printed_whole_on_one_line(paper_size, orientation):
    text = pdftotext(render_certificate(certificate(paper_size=paper_size, orientation=orientation)))
    assert any(LINK in line for line in text.splitlines()), text
    assert "127.0.0.1" not in text and "/verify/" not in text


def test_in_the_arabic_certificate_the_link_and_code_are_printed_whole():
    text = pdftotext(render_certificate(arabic_certificate()))
    lines = text.splitlines()
    assert any(LINK in line for line in lines) and any(CODE in line for line in lines), text


# --- 5. what was achieved, once ----------------------------------------------------------------------------------


def test_a_statement_that_names_the_course_hours_and_dates_is_not_repeated_under_it():
    body = (
        f"{pdf.isolate('Ana María Gómez')} completed {pdf.isolate(PATHWAY)} at {pdf.isolate(PARTNER)}, attending "
        f"{pdf.isolate('36')} hours of classes from {pdf.isolate('Sept. 8, 2026')} to {pdf.isolate('Dec. 4, 2026')}."
    )
    text = " ".join(pdftotext(render_certificate(certificate(body=body))).split())
    assert text.count("English for Everyday Life") == 1, text
    assert text.count("36 hours") == 1 and text.count("Sept. 8, 2026") == 1, text


def test_what_the_statement_leaves_out_is_stated_once_under_it():
    text = " ".join(pdftotext(render_certificate(certificate(body="Well done."))).split())
    assert text.count("English for Everyday Life") == 1, text
    assert "36 hours · Sept. 8, 2026 to Dec. 4, 2026" in text, text


def test_a_statement_with_the_course_but_not_the_hours_gets_only_the_hours_and_dates():
    text = " ".join(pdftotext(render_certificate(certificate())).split())
    assert text.count("English for Everyday Life") == 1, text
    assert text.count("36 hours") == 1 and text.count("Sept. 8, 2026 to Dec. 4, 2026") == 1, text


@pytest.mark.django_db
def test_an_issued_certificate_states_the_course_hours_and_dates_once(world):
    """Through the service, with the demo's wording: the statement names all three, nothing repeats them."""
    template = world.pathway.template
    template.body = (
        "This certifies that {learner_name} completed {pathway} at {partner}, "
        "attending {hours} hours of classes from {start_date} to {end_date}."
    )
    template.save()
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    content = credential.pdf.read()
    text = " ".join(pdftotext(content).split())
    assert text.count(world.pathway.name) == 1, text
    assert text.count("20 hours") == 1, text
    # the link printed on one line is the public short link, and the QR code holds exactly that link
    link = f"https://pathways.example.org/v/{credential.verification_code}"
    assert any(link in line for line in pdftotext(content).splitlines())
    assert qr_codes_in(content) == [link]
