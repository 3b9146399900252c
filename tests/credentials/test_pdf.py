"""Certificate PDFs: names in every script read back out of the PDF, PDF/A, a QR code that scans to the
verification page, one learner per PDF in a batch, and input that cannot break the page."""

import dataclasses
import datetime
import io
import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.utils import translation
from PIL import Image, ImageDraw
from pypdf import PdfReader
from weasyprint.pdf import fonts as weasyprint_pdf_fonts
from weasyprint.text import ffi as weasyprint_ffi

from credentials import pdf
from credentials.pdf import CertificateData, CertificateError, certificate_html, render_certificate, render_certificates

# One learner per script our learners write their names in, and the Noto family that must print it.
NAMES = {
    "arabic": ("فاطمة الزهراء", "Noto-Naskh-Arabic"),
    "chinese": ("王小明", "Noto-Serif-CJK-SC"),
    "vietnamese": ("Nguyễn Thị Minh Khai", "Noto-Serif"),
    "haitian creole": ("Wòdlèy Pòl-Mèsidò", "Noto-Serif"),
    "amharic": ("አበበ ቢቂላ", "Noto-Serif-Ethiopic"),
    "russian": ("Анна Петровна Смирнова", "Noto-Serif"),
}
CODE = "7K2M-Q9XD-4HRT-8BZC-N3WE-JP6F-VA1S"


def certificate(name="Ana María Gómez", **changes):
    values = {
        "name_as_printed": name,
        "pathway_name": "ESOL Level 2",
        "partner_name": "Riverside Community Center",
        "issued_on": datetime.date(2026, 6, 12),
        "hours": Decimal("120"),
        "start_date": datetime.date(2026, 1, 12),
        "end_date": datetime.date(2026, 6, 5),
        "verification_code": CODE,
        "verify_url": "https://pathways.example.org/verify/7K2MQ9XD4HRT8BZCN3WEJP6FVA1S/",
        "title": "Certificate of Completion",
        "body": f"{name} completed 120 hours of English for Speakers of Other Languages, Level 2.",
        "signatories": (("Maria Lopez", "Program Manager", None), ("James Carter", "Instructor", None)),
    }
    values.update(changes)
    return CertificateData(**values)


def text_of(content):
    """The PDF's text as a reader's copy-paste would give it (NFKC folds Arabic presentation forms)."""
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def fonts_of(content):
    """(base font name, embedded font program present) for every font the page uses."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    result = []
    for reference in page["/Resources"]["/Font"].values():
        font = reference.get_object()
        descriptor_owner = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font
        descriptor = descriptor_owner["/FontDescriptor"].get_object()
        embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        result.append((str(font["/BaseFont"]).split("+", 1)[-1], embedded))
    return result


def mapped_characters(content):
    """Every character the PDF's fonts map glyphs to (their ToUnicode tables): what the embedded font
    subsets can print."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    characters = set()
    for reference in page["/Resources"]["/Font"].values():
        font = reference.get_object()
        if "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for section in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for target in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>", section):
                characters.update(bytes.fromhex(target).decode("utf-16-be"))
    return characters


def qr_codes_in(content, resolution=150):
    """Print the page as pixels, as a phone camera would see it, and scan it."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), "-singlefile", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def page_size(content):
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.fixture(scope="module")
def six_scripts():
    items = [certificate(name) for name, _family in NAMES.values()]
    return dict(zip(NAMES, render_certificates(items), strict=True))


# --- names in every script -------------------------------------------------------------------------


@pytest.mark.parametrize("script", list(NAMES))
def test_name_in_each_script_reads_back_from_the_pdf(six_scripts, script):
    name, _family = NAMES[script]
    assert unicodedata.normalize("NFKC", name) in text_of(six_scripts[script])


@pytest.mark.parametrize("script", list(NAMES))
def test_name_in_each_script_is_printed_with_an_embedded_noto_font(six_scripts, script):
    name, family = NAMES[script]
    fonts = fonts_of(six_scripts[script])
    assert family in {font for font, _embedded in fonts}, fonts
    assert all(embedded for _font, embedded in fonts), fonts
    # every character of the name has a glyph in an embedded subset (a missing one would be .notdef,
    # which has no Unicode mapping)
    assert set(name.replace(" ", "")) <= mapped_characters(six_scripts[script])


def test_no_missing_glyph_warning_for_any_script(caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        render_certificates([certificate(name) for name, _family in NAMES.values()])
    assert not [record for record in caplog.records if ".notdef" in record.getMessage()]


def test_a_name_no_installed_font_can_print_is_refused_not_printed_as_boxes():
    with pytest.raises(CertificateError, match="U\\+10FFFD"):
        render_certificate(certificate("Ana \U0010fffd"))


# --- PDF/A ----------------------------------------------------------------------------------------

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def test_pdf_declares_pdf_a_3u_with_an_output_intent_and_embedded_fonts(six_scripts):
    """What veraPDF would check first (veraPDF itself is not packaged for Debian or PyPI, so this checks
    the parts a reader relies on): the XMP identification, the sRGB output intent, every font
    embedded, a file identifier, no encryption."""
    content = six_scripts["arabic"]
    assert content.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(content), strict=True)  # strict: a malformed file raises
    assert not reader.is_encrypted
    assert "/ID" in reader.trailer
    root = reader.trailer["/Root"]

    xmp = ET.fromstring(re.search(rb"<x:xmpmeta.*</x:xmpmeta>", root["/Metadata"].get_object().get_data(), re.S)[0])
    identification = {
        key: value for description in xmp.iter(f"{RDF}Description") for key, value in description.attrib.items()
    }
    assert identification[f"{PDFAID}part"] == "3"
    assert identification[f"{PDFAID}conformance"] == "U"
    title = xmp.find(f".//{DC}title/{RDF}Alt/{RDF}li").text
    assert title == f"Certificate of Completion — {NAMES['arabic'][0]}"
    assert reader.metadata.title == title  # the document info agrees with the XMP, as PDF/A requires

    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3  # an RGB ICC profile
    assert all(embedded for _font, embedded in fonts_of(content))
    assert len(reader.pages) == 1


def test_fonts_are_subset_by_harfbuzz_not_the_fonttools_fallback(monkeypatch, caplog):
    """WeasyPrint 70 subsets with libharfbuzz-subset when it loaded (text/ffi.py) and HarfBuzz is at
    least 4.1 (pdf/fonts.py Font.subset); otherwise it warns and falls back to fontTools, ten times
    slower. Debian's libharfbuzz-subset0 comes from scripts/system-packages.sh."""
    assert weasyprint_ffi.harfbuzz_subset is not None, "libharfbuzz-subset0 is missing: run scripts/system-packages.sh"
    assert weasyprint_ffi.harfbuzz.hb_version_atleast(4, 1, 0)

    subset_by_harfbuzz = []
    harfbuzz_subset = weasyprint_pdf_fonts.Font._harfbuzz_subset

    def spy(font, *args):
        subset_by_harfbuzz.append(font.family)
        return harfbuzz_subset(font, *args)

    def fonttools_must_not_run(font, *args):
        raise AssertionError(f"fontTools subset {font.family}")

    monkeypatch.setattr(weasyprint_pdf_fonts.Font, "_harfbuzz_subset", spy)
    monkeypatch.setattr(weasyprint_pdf_fonts.Font, "_fonttools_subset", fonttools_must_not_run)
    with caplog.at_level("WARNING", logger="weasyprint"):
        content = render_certificate(certificate("王小明"))
    assert {"Noto Serif", "Noto Serif CJK SC"} <= set(subset_by_harfbuzz)
    assert not [record for record in caplog.records if "fontTools" in record.getMessage()]
    # subsets, not whole fonts: the Chinese font alone is 26 MB
    assert len(content) < 400_000


# --- QR code --------------------------------------------------------------------------------------


def test_qr_code_scans_to_each_learners_verification_page():
    first = certificate("Ana María Gómez", verify_url="https://pathways.example.org/verify/AAAA1111/")
    second = certificate(
        "فاطمة الزهراء",
        language="ar",
        paper_size="a4",
        orientation="portrait",
        verify_url="https://pathways.example.org/verify/BBBB2222/",
    )
    first_pdf, second_pdf = render_certificates([first, second])
    assert qr_codes_in(first_pdf) == [first.verify_url]
    assert qr_codes_in(second_pdf) == [second.verify_url]
    # and someone without a camera can type the code printed beside it (it may wrap between groups)
    assert CODE in text_of(first_pdf).replace("\n", "")


# --- batches ----------------------------------------------------------------------------------------

BATCH_NAMES = [
    "Nguyễn Thị Lan",
    "فاطمة الزهراء",
    "王小明",
    "李秀英",
    "Wòdlèy Pòl-Mèsidò",
    "አበበ ቢቂላ",
    "ሰላም ተስፋዬ",
    "Анна Смирнова",
]


def test_each_pdf_of_a_batch_holds_its_own_learner_and_nobody_else():
    items = [
        certificate(name, language=language, paper_size=paper, orientation=orientation)
        for name, language, paper, orientation in zip(
            BATCH_NAMES,
            ["en", "ar", "zh-hans", "zh-hans", "ht", "en", "en", "en"],
            ["letter", "a4"] * 4,
            ["landscape", "landscape", "portrait", "landscape"] * 2,
            strict=True,
        )
    ]
    outputs = render_certificates(items)

    assert len(outputs) == len(items)
    for index, (item, content) in enumerate(zip(items, outputs, strict=True)):
        text = text_of(content)
        assert len(PdfReader(io.BytesIO(content)).pages) == 1
        assert item.name_as_printed in text
        others = [name for name in BATCH_NAMES if name != item.name_as_printed]
        assert not [name for name in others if name in text], index
        # the fonts embedded were subset for this page alone: no glyph of another learner's name
        own_characters = set(text)
        foreign = {c for name in others for c in name if c.isalpha() and c not in own_characters}
        assert not (mapped_characters(content) & foreign), index
        assert (
            page_size(content)
            == {
                ("letter", "landscape"): (792, 612),
                ("letter", "portrait"): (612, 792),
                ("a4", "landscape"): (842, 595),
                ("a4", "portrait"): (595, 842),
            }[(item.paper_size, item.orientation)]
        )


def test_batch_prints_exactly_what_one_at_a_time_prints():
    items = [certificate(name) for name in BATCH_NAMES[:4]]
    batch = render_certificates(items)
    for item, content in zip(items, batch, strict=True):
        alone = render_certificate(item)
        assert text_of(content) == text_of(alone)
        assert sorted(fonts_of(content)) == sorted(fonts_of(alone))


def test_small_batches_and_one_process_settings_render_in_this_process(settings, monkeypatch):
    def must_not_fork(items, processes):
        raise AssertionError("forked")

    monkeypatch.setattr(pdf, "_render_in_processes", must_not_fork)
    settings.CREDENTIALS_RENDER_PROCESSES = 2
    assert len(render_certificates([certificate(f"Ana {n}") for n in range(pdf.PARALLEL_MINIMUM - 1)])) == 7
    settings.CREDENTIALS_RENDER_PROCESSES = 1
    assert len(render_certificates([certificate(f"Ana {n}") for n in range(pdf.PARALLEL_MINIMUM)])) == 8


def test_a_process_with_other_threads_is_never_forked(settings, monkeypatch):
    """Forking copies only the calling thread; a lock held by another one would hang the children."""

    def must_not_fork(items, processes):
        raise AssertionError("forked")

    monkeypatch.setattr(pdf, "_render_in_processes", must_not_fork)
    settings.CREDENTIALS_RENDER_PROCESSES = 2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert len(render_certificates([certificate(f"Ana {n}") for n in range(pdf.PARALLEL_MINIMUM)])) == 8
    finally:
        stop.set()
        other.join()


SPLIT_NAMES = [
    "Ana Uno",
    "王小明",
    "Анна Смирнова",
    "فاطمة الزهراء",
    "Bea Dos",
    "አበበ ቢቂላ",
    "Cai Tres",
    "李秀英",
    "Dan Cuatro",
]


def _render_in_a_prefork_worker(queue):
    """In the daemonic process: what a Celery task calling render_certificates does."""
    from django.conf import settings

    settings.CREDENTIALS_RENDER_PROCESSES = 2
    splits = []
    split = pdf._render_in_processes

    def spy(items, processes):
        splits.append([len(items), processes])
        return split(items, processes)

    pdf._render_in_processes = spy
    outputs = render_certificates([certificate(name) for name in SPLIT_NAMES])
    queue.put({"splits": splits, "names": [next(n for n in SPLIT_NAMES if n in text_of(c)) for c in outputs]})


def split_in_a_fresh_worker():
    """Run by the test below in a new interpreter: single-threaded like a Celery worker (the test process
    may have threads left by other tests, and then rightly never forks). It starts a daemonic process,
    as Celery's prefork pool does, and prints what happened there as JSON."""
    import django

    django.setup()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_render_in_a_prefork_worker, args=(queue,), daemon=True)
    worker.start()
    result = queue.get(timeout=120)
    worker.join(timeout=30)
    print(json.dumps({**result, "exitcode": worker.exitcode}))


def test_a_batch_is_split_between_two_processes_inside_a_celery_prefork_worker():
    """Celery's prefork workers are daemonic processes, from which the standard library's process pools
    refuse to start children; the split uses billiard, which does not. Each part comes back in order."""
    finished = subprocess.run(
        [sys.executable, "-c", "from tests.credentials.test_pdf import split_in_a_fresh_worker as s; s()"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pathways.settings.test"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result == {"splits": [[9, 2]], "names": SPLIT_NAMES, "exitcode": 0}


def render_a_long_batch_in_a_fresh_worker():
    """Run by the test below in a new interpreter, which is killed while its renderers work."""
    import django

    django.setup()
    render_certificates([certificate(f"Ana Número {number}") for number in range(400)])


def _children_of(parent_pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == parent_pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_renderers_die_with_a_worker_killed_mid_batch():
    """A worker killed mid-batch (OOM killer, deploy) must not leave its forked renderers behind, each holding
    a copy of its memory and waiting forever for work."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tests.credentials.test_pdf import render_a_long_batch_in_a_fresh_worker as r; r()",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pathways.settings.test"},
    )
    try:
        deadline = time.monotonic() + 120
        renderers = []
        while len(renderers) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
            renderers = _children_of(worker.pid)
        assert len(renderers) == 2, "the batch was not split between two renderers"
        time.sleep(0.5)  # they are rendering now
    finally:
        worker.kill()
        worker.wait()

    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in renderers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in renderers if _alive(pid)]


def test_batches_longer_than_a_chunk_keep_their_order(monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 2)
    names = ["Ana Uno", "Bea Dos", "Cai Tres", "Dan Cuatro", "Eva Cinco"]
    outputs = render_certificates([certificate(name) for name in names])
    assert [next(name for name in names if name in text_of(content)) for content in outputs] == names


# --- what goes on the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "colour",
    ["red", "#fff", "#1f4e7g", "", "#1f4e79; } body { display: none", "#1f4e79 !important", "url(x)"],
)
def test_colour_other_than_rrggbb_is_refused(colour):
    with pytest.raises(CertificateError, match="#1f4e79"):
        certificate(primary_colour=colour)


def test_template_colour_is_used_for_the_title_and_border():
    html = certificate_html(certificate(primary_colour="#7A1F2B"))
    assert "--primary: #7A1F2B" in html


@pytest.mark.parametrize(
    "change",
    [
        {"paper_size": "legal"},
        {"orientation": "sideways"},
        {"verify_url": "javascript:alert(1)"},
        {"name_as_printed": " "},
    ],
)
def test_values_the_page_cannot_honour_are_refused(change):
    with pytest.raises(CertificateError):
        certificate(**change)


def test_markup_in_names_and_texts_is_printed_as_text_not_obeyed():
    name = 'Ana <b>Gómez</b> & "Co"'
    item = certificate(name, body='<img src="file:///etc/passwd"> <script>x</script> finished.')
    html = certificate_html(item)
    assert "<b>Gómez</b>" not in html and "&lt;b&gt;Gómez&lt;/b&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    text = text_of(render_certificate(item))
    assert name in text
    assert '<img src="file:///etc/passwd">' in text


# The renderer fetches no files or outside URLs: tests/core/test_pdf.py renders a certificate to show it.


def test_logo_and_signatures_are_printed(tmp_path):
    logo = tmp_path / "logo.png"
    signature = tmp_path / "signature.png"
    Image.new("RGB", (300, 100), "#1f4e79").save(logo)
    drawing = Image.new("RGBA", (300, 90), (255, 255, 255, 0))
    ImageDraw.Draw(drawing).line([(10, 70), (90, 20), (200, 65), (290, 25)], fill="#12326b", width=5)
    drawing.save(signature)
    content = render_certificate(
        certificate(logo_path=str(logo), signatories=(("Maria Lopez", "Program Manager", str(signature)),))
    )
    resources = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]
    images = [x for x in resources["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 3  # logo, signature, QR code
    assert "Maria Lopez" in text_of(content)


def test_fixed_texts_and_dates_follow_the_certificate_language_not_the_callers():
    with translation.override("es"):
        english = text_of(render_certificate(certificate()))
        arabic_item = certificate("فاطمة الزهراء", language="ar", title="شهادة إتمام")
        arabic_html = certificate_html(arabic_item)
        arabic = text_of(render_certificate(arabic_item))
    assert "June 12, 2026" in english and "junio" not in english
    assert "Issued on" in english and "Certificate code" in english and "Verify at" in english
    assert "يونيو" in arabic  # Django's Arabic month name
    assert '<html lang="ar" dir="rtl">' in arabic_html


def test_right_to_left_names_are_set_right_to_left_on_any_certificate():
    html = certificate_html(certificate("فاطمة الزهراء"))
    assert '<html lang="en" dir="ltr">' in html
    assert re.search(r'<p class="name" dir="rtl">\s*فاطمة الزهراء', html)
    latin_on_arabic = certificate_html(certificate("Ana Gómez", language="ar"))
    assert re.search(r'<p class="name" dir="ltr">\s*Ana Gómez', latin_on_arabic)


def test_hours_and_dates_are_printed():
    text = text_of(render_certificate(certificate(hours=Decimal("37.5"))))
    assert "37.5 hours" in text
    assert "Jan. 12, 2026 to June 5, 2026" in text
    without = text_of(render_certificate(certificate(hours=None, start_date=None, end_date=None, body="Well done.")))
    assert "hours" not in without and "2026 to" not in without
    assert "ESOL Level 2" in without


def test_text_too_long_for_one_page_is_refused_not_printed_under_the_signatures():
    with pytest.raises(CertificateError, match="does not fit on one page"):
        render_certificate(certificate(body="Completed every unit of the course with distinction. " * 40))
    # a body of a few sentences fits
    render_certificate(certificate(body="Completed every unit of the course with distinction. " * 6))


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_long_names_stay_on_one_line(orientation):
    names = [
        "Wòdlèy Pòl-Mèsidò Jan-Batis",
        "Nguyễn Thị Minh Khai Trần Hoàng Anh",
        "María José Fernández de la Cruz Rodríguez Villanueva",
    ]
    outputs = render_certificates([certificate(name, body="Well done.", orientation=orientation) for name in names])
    for name, content in zip(names, outputs, strict=True):
        assert name in text_of(content)


def test_certificate_data_is_immutable():
    item = certificate()
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.name_as_printed = "Someone else"
