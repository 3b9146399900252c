"""Certificate PDFs: the HTML of a certificate (previewable alone) and its PDF/A bytes, one at a time or in a fast batch.

Why the batch is fast. A naive render builds a new fontconfig configuration, parses the stylesheet and
loads every font again for each learner. Here a process keeps one ``FontConfiguration``, one parsed
stylesheet and one image cache, lays out a chunk of certificates as the pages of one document, and
writes each page as its own PDF with ``Document.copy([page])``. Fonts are embedded per written PDF
(WeasyPrint builds the font subsets while painting the pages it writes), so a learner's PDF carries only
the glyphs printed on their own certificate: never a glyph of a neighbour's name, which for a Chinese
name would be most of the name.

Rendering is CPU-bound Python, one core per process. A batch of ``PARALLEL_MINIMUM`` or more is split
between ``CREDENTIALS_RENDER_PROCESSES`` forked processes (default: one per core, at most 2), which
inherit the warm fonts and stylesheet. They are forked through billiard, Celery's multiprocessing: the
standard library's process classes refuse to start children from a Celery prefork worker (its processes
are daemonic).
A process with other threads (a threaded dev server running tasks eagerly) is never forked; it renders
in-process. Not thread-safe: call from one thread per process, as Celery's prefork pool does.
"""

import base64
import ctypes
import ctypes.util
import dataclasses
import datetime
import gc
import logging
import mimetypes
import os
import re
import signal
import threading
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import billiard
import segno
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import formats, translation
from django.utils.html import conditional_escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from weasyprint import CSS, HTML
from weasyprint.document import DocumentMetadata
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER
from weasyprint.text.fonts import FontConfiguration

from core.pdf import SafeURLFetcher

# PDF/A-3u: archival, with every glyph mapped to Unicode (the text can be searched and extracted, which
# the tests rely on). WeasyPrint's documentation recommends the "u" variants over "b".
PDF_VARIANT = "pdf/a-3u"
PAPER_SIZES = ("letter", "a4")
ORIENTATIONS = ("landscape", "portrait")
# A chunk is laid out as one document; bounded so a 2,000-learner batch does not hold 2,000 laid-out pages.
CHUNK_SIZE = 50
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Fewer certificates than this are not worth forking for.
PARALLEL_MINIMUM = 8
# WeasyPrint has leaked memory over thousands of renders in some versions (#2319): start afresh now and then.
RENDERS_PER_ENGINE = 2000

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_TEMPLATE_DIR = "credentials/certificate"


class CertificateError(ValueError):
    """A certificate that cannot be printed as asked (bad colour, unprintable characters, too long)."""


@dataclasses.dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate; built by credentials.services, rendered here."""

    name_as_printed: str
    pathway_name: str
    partner_name: str
    issued_on: datetime.date
    hours: Decimal | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    verification_code: str
    verify_url: str  # absolute URL of the public verification page
    title: str
    body: str  # already with placeholders filled in
    second_language_title: str = ""
    second_language_body: str = ""
    language: str = "en"
    signatories: tuple = ()  # of (name, role, signature_image_path_or_None)
    name_latin: str = ""  # a second line under a name in another script, from the learner's official papers
    logo_path: str | None = None
    primary_colour: str = "#1f4e79"
    orientation: str = "landscape"
    paper_size: str = "letter"

    def __post_init__(self):
        # The colour is written into CSS, so only #rrggbb gets through; the rest is escaped by the template.
        if not isinstance(self.primary_colour, str) or not _COLOUR.match(self.primary_colour):
            raise CertificateError(
                gettext("The colour must be written like #1f4e79, not %(colour)s.") % {"colour": self.primary_colour}
            )
        if self.paper_size not in PAPER_SIZES:
            raise CertificateError(gettext("The paper size must be Letter or A4."))
        if self.orientation not in ORIENTATIONS:
            raise CertificateError(gettext("The orientation must be landscape or portrait."))
        if not self.verify_url.startswith(("https://", "http://")):
            raise CertificateError(gettext("The verification address must be a full https:// address."))
        if not self.name_as_printed.strip():
            raise CertificateError(gettext("The name to print is empty."))


# --- HTML ------------------------------------------------------------------------------------------


# A value filled into a sentence (a name, a course, a number) is wrapped in these Unicode isolates, so its
# own direction cannot reorder the words around it: an Arabic name opening an English sentence, or
# "36 ساعة" after a Latin course name in an Arabic one. HTML's <bdi>, in characters: WeasyPrint ignores
# CSS unicode-bidi, while Pango (FriBidi) honours these, and a browser showing the preview does too. They
# print nothing and are not extracted as text.
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_ISOLATED = re.compile(
    f"{FIRST_STRONG_ISOLATE}([^{FIRST_STRONG_ISOLATE}{POP_DIRECTIONAL_ISOLATE}]*){POP_DIRECTIONAL_ISOLATE}"
)
# An isolated value up to this long is kept on one line; a longer one (a long course name) may wrap.
UNBROKEN_VALUE_LENGTH = 40


def isolate(value):
    """`value` isolated from the sentence it is put in (see FIRST_STRONG_ISOLATE)."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


def text_direction(text):
    """'rtl' when the first letter with a strong direction is Arabic or Hebrew, else 'ltr'; isolated values
    do not count, so "{learner_name} completed ..." is English whatever the name.

    For texts that stand alone (a name, a signatory, a second-language line); a sentence in the
    certificate's own language takes the certificate's direction."""
    for characters in (_ISOLATED.sub("", text or ""), text or ""):  # a text of values alone: the first one
        for character in characters:
            kind = unicodedata.bidirectional(character)
            if kind in ("R", "AL"):
                return "rtl"
            if kind == "L":
                return "ltr"
    return ""


def _with_values_marked(text, *, paragraphs=True):
    """A template's text as HTML (paragraphs, or one line for a title), each isolated value in a span that
    keeps a short one on one line (the isolate characters stay inside: they reorder, the span stops a break)."""

    def span(match):
        unbroken = len(match[1]) <= UNBROKEN_VALUE_LENGTH
        return f'<span class="value{" unbroken" if unbroken else ""}">{match[0]}</span>'

    marked = _ISOLATED.sub(span, str(conditional_escape(text or "")))
    return mark_safe(linebreaks(marked, autoescape=False) if paragraphs else marked)


def _plain(text):
    return (text or "").replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")


def _name_length_class(name):
    """Long names get a smaller size, so "María José Fernández de la Cruz" stays on one line. Wide
    (CJK) characters count double; combining marks not at all."""
    width = sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in name
    )
    for limit, size in ((44, "name-longest"), (34, "name-longer"), (26, "name-long")):
        if width > limit:
            return size
    return ""


def _data_uri(path, cache):
    """An image file as a data: URI, so WeasyPrint never opens a file or a URL itself."""
    if path not in cache:
        content = Path(path).read_bytes()
        mime_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        cache[path] = f"data:{mime_type};base64,{base64.b64encode(content).decode('ascii')}"
    return cache[path]


def _qr_data_uri(url):
    """The QR code as a PNG of one pixel per module, drawn without smoothing (image-rendering:
    pixelated), so it prints sharp at any size. A vector SVG prints the same but costs WeasyPrint
    ~15 ms per certificate to parse and draw. Error correction M survives creases and smudges; the
    quiet zone is the 4 modules the standard asks for."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=4)


def hours_number(hours):
    """Hours as a reader of the active language writes the number: 10, 37.5 (37,5 in Spanish or Arabic),
    37.25. Never Decimal's own str(), which writes a normalized 10 as "1E+1"; at most two decimals (a
    quarter hour), trailing zeros dropped."""
    hours = Decimal(hours)
    places = next(places for places in (0, 1, 2) if hours == round(hours, places) or places == 2)
    return formats.number_format(hours, decimal_pos=places, use_l10n=True)


def _hours_text(hours):
    if hours is None:
        return ""
    hours = Decimal(hours)
    # A fraction takes the plural form CLDR calls "other", and gettext counts whole numbers only: 100 picks
    # that form in each language we print (2 would pick the Arabic dual, "37,5 ساعتان": "37.5 two hours").
    count = int(hours) if hours == hours.to_integral_value() else 100
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": hours_number(hours)}


def _dates_text(start_date, end_date):
    if start_date and end_date:
        return gettext("%(start)s to %(end)s") % {
            "start": formats.date_format(start_date, "DATE_FORMAT"),
            "end": formats.date_format(end_date, "DATE_FORMAT"),
        }
    if start_date:
        return gettext("from %(start)s") % {"start": formats.date_format(start_date, "DATE_FORMAT")}
    if end_date:
        return gettext("until %(end)s") % {"end": formats.date_format(end_date, "DATE_FORMAT")}
    return ""


def _facts(data):
    """What was achieved that the template's title and text leave out: the pathway, the hours, the dates,
    each printed once. A value the text states came in through its placeholder, isolated (services.draft).
    Returns (the pathway or "", [the hours and dates left out])."""
    text = data.title + data.body

    def stated(value):
        return isolate(value) in text

    pathway = "" if stated(data.pathway_name) else data.pathway_name
    facts = []
    if data.hours is not None and not stated(hours_number(data.hours)):
        facts.append(_hours_text(data.hours))
    days = [formats.date_format(day, "DATE_FORMAT") for day in (data.start_date, data.end_date) if day]
    if days and not any(stated(day) for day in days):
        facts.append(_dates_text(data.start_date, data.end_date))
    return pathway, facts


def _sheet_context(data, index, image_cache):
    signatories = [
        {
            "name": name,
            "role": role,
            "direction": text_direction(name),
            "signature_uri": _data_uri(image, image_cache) if image else "",
        }
        for name, role, image in data.signatories
    ]
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    pathway, facts = _facts(data)
    return {
        "data": data,
        "anchor": f"certificate-{index}",
        "page_name": f"{data.paper_size}-{data.orientation}",
        # The title and the text are in the certificate's language: its direction, whatever they hold.
        "direction": direction,
        "title": _with_values_marked(data.title, paragraphs=False),
        "body": _with_values_marked(data.body),
        "name_direction": text_direction(data.name_as_printed),
        "name_length": _name_length_class(data.name_as_printed),
        "second_title": _with_values_marked(data.second_language_title, paragraphs=False),
        "second_body": _with_values_marked(data.second_language_body),
        "second_title_direction": text_direction(data.second_language_title),
        "second_body_direction": text_direction(data.second_language_body),
        "partner_direction": text_direction(data.partner_name),
        "pathway": pathway,
        "pathway_direction": text_direction(pathway),
        "facts": _with_values_marked(" · ".join(isolate(fact) for fact in facts), paragraphs=False) if facts else "",
        "issued_on": formats.date_format(data.issued_on, "DATE_FORMAT"),
        "signatories": signatories,
        "logo_uri": _data_uri(data.logo_path, image_cache) if data.logo_path else "",
        "qr_uri": _qr_data_uri(data.verify_url),
    }


def _sheet_html(data, index, image_cache):
    # Fixed texts ("Issued on", "Verify at", dates, numbers) follow the certificate's language, not the
    # language of whoever pressed "issue".
    with translation.override(data.language):
        return render_to_string(f"{_TEMPLATE_DIR}/sheet.html", _sheet_context(data, index, image_cache))


def _document_html(items, *, inline_css, image_cache):
    first = items[0]
    with translation.override(first.language):
        sheets = mark_safe("".join(_sheet_html(data, index, image_cache) for index, data in enumerate(items)))
        return render_to_string(
            f"{_TEMPLATE_DIR}/document.html",
            {
                "sheets": sheets,
                "language": first.language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "title": _pdf_title(first),
                "css": mark_safe(_stylesheet_source()) if inline_css else "",
            },
        )


def certificate_html(data):
    """One certificate as a complete HTML page with its stylesheet inline: for previews, and what a
    plain one-document-per-learner WeasyPrint render would be given."""
    return _document_html([data], inline_css=True, image_cache={})


def _pdf_title(data):
    return f"{_plain(data.title)} — {data.name_as_printed}"


# --- PDF -------------------------------------------------------------------------------------------


def _stylesheet_source():
    return get_template(f"{_TEMPLATE_DIR}/certificate.css").template.source


class _Engine:
    """What one process keeps between certificates: fonts, the parsed stylesheet, decoded images.

    Forked children inherit it warm. That is safe because only a single-threaded process forks (see
    ``_can_fork``): no other thread can hold a fontconfig or Pango lock at that moment."""

    def __init__(self):
        self.renders = 0
        self.font_config = FontConfiguration()
        self.url_fetcher = SafeURLFetcher()  # images are inlined by this module as data: URIs
        self.stylesheet = CSS(string=_stylesheet_source(), font_config=self.font_config, url_fetcher=self.url_fetcher)
        self.image_cache = {}  # WeasyPrint's decoded images, keyed by data URI (logos, signatures)
        self.warm = False

    def load_fonts(self):
        """Lay out (not write) a line in every script and face the certificate uses, once, so that the
        processes forked from this one find those fonts already loaded instead of each loading them."""
        if self.warm:
            return
        sample = "Aa Ứ Жж عربي ግዕዝ 汉字"
        HTML(string=f"<p>{sample}</p><h1>{sample}</h1><p class='code'>{sample}</p>").render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )
        self.warm = True


_engine = None


def _current_engine():
    global _engine
    if _engine is None or _engine.renders >= RENDERS_PER_ENGINE:
        _engine = _Engine()
    return _engine


class _GlyphWarnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.characters = []

    def emit(self, record):
        message = record.getMessage()
        if ".notdef" in message:
            match = re.search(r"U\+([0-9A-F]{4,6})", message)
            self.characters.append(chr(int(match[1], 16)) if match else "?")


@contextmanager
def _missing_glyphs():
    handler = _GlyphWarnings()
    WEASYPRINT_LOGGER.addHandler(handler)
    try:
        yield handler.characters
    finally:
        WEASYPRINT_LOGGER.removeHandler(handler)


def _metadata(data):
    return DocumentMetadata(
        title=_pdf_title(data),
        authors=[data.partner_name] if data.partner_name else [],
        description=data.pathway_name,
        lang=data.language,
        created=data.issued_on.isoformat(),
        modified=data.issued_on.isoformat(),
    )


def _pages_by_certificate(pages, count):
    """Each certificate's pages: a sheet starts on the page holding its anchor (``certificate-N``)."""
    pages_by_item = [[] for _ in range(count)]
    current = None
    for page in pages:
        starts = [int(name.split("-")[1]) for name in page.anchors if re.fullmatch(r"certificate-\d+", name)]
        if starts:
            current = min(starts)
        if current is not None:
            pages_by_item[current].append(page)
    return pages_by_item


def _content_fits(page, index):
    """Whether the text ends above the footer. The sheet has a fixed size, so text that is too long runs
    under the signatures instead of onto a new page; the two anchors tell where each one is."""
    end = page.anchors.get(f"certificate-{index}-end")
    footer = page.anchors.get(f"certificate-{index}-footer")
    return end is not None and footer is not None and end[1] <= footer[1]


def _render_chunk(items, engine):
    html_image_cache = {}
    html = HTML(
        string=_document_html(items, inline_css=False, image_cache=html_image_cache),
        url_fetcher=engine.url_fetcher,
    )
    document = html.render(
        stylesheets=[engine.stylesheet],
        font_config=engine.font_config,
        pdf_variant=PDF_VARIANT,
        cache=engine.image_cache,
    )
    pages_by_item = _pages_by_certificate(document.pages, len(items))
    outputs = []
    for index, (data, pages) in enumerate(zip(items, pages_by_item, strict=True)):
        if len(pages) != 1 or not _content_fits(pages[0], index):
            raise CertificateError(
                gettext("The certificate for %(name)s does not fit on one page; shorten the template's text.")
                % {"name": data.name_as_printed}
            )
        single = document.copy(pages)
        single.metadata = _metadata(data)
        with _missing_glyphs() as missing:
            pdf = single.write_pdf(pdf_variant=PDF_VARIANT)
        if missing:
            raise CertificateError(
                gettext("No installed font can print %(characters)s in the certificate for %(name)s.")
                % {
                    "characters": " ".join(f"U+{ord(c):04X}" for c in sorted(set(missing))),
                    "name": data.name_as_printed,
                }
            )
        outputs.append(pdf)
    engine.renders += len(items)
    return outputs


def _render_here(items):
    outputs = []
    for start in range(0, len(items), CHUNK_SIZE):
        outputs.extend(_render_chunk(items[start : start + CHUNK_SIZE], _current_engine()))
    return outputs


def render_processes():
    """How many processes a batch is split between: CREDENTIALS_RENDER_PROCESSES, else one per core, at
    most 2 (the machines we run on have two; more processes than cores only adds forking)."""
    configured = getattr(settings, "CREDENTIALS_RENDER_PROCESSES", None)
    return max(1, int(configured if configured is not None else min(2, os.cpu_count() or 1)))


def _can_fork():
    # Forking copies only the calling thread; a lock another thread holds would stay locked forever in
    # the child. Celery's prefork workers and management commands are single-threaded.
    return threading.active_count() == 1 and "fork" in billiard.get_all_start_methods()


def _die_with_parent(parent_pid):
    """In each forked renderer: ask Linux to kill it when the process that forked it dies (a worker killed
    mid-batch would otherwise leave its renderers waiting forever on a queue nobody writes to)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)


def _render_in_processes(items, processes):
    """The batch split in contiguous parts, one per forked process, joined back in order."""
    size = -(-len(items) // processes)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    _current_engine().load_fonts()  # once here, not in every child of every batch
    # Children share the parent's memory until they write to it. Frozen objects are left alone by the
    # children's garbage collector, which would otherwise touch, and so copy, the whole heap.
    gc.freeze()
    try:
        # billiard's own Pool would also do, but its shutdown waits out polling timeouts (~0.8 s a batch)
        with ProcessPoolExecutor(
            len(parts), mp_context=billiard.get_context("fork"), initializer=_die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            rendered = list(pool.map(_render_here, parts))
    finally:
        gc.unfreeze()
    return [content for part in rendered for content in part]


def render_certificates(items):
    """One PDF/A document per certificate, in the same order.

    Raises CertificateError (naming the learner) when a certificate cannot be printed as asked; the
    caller may then render the others one by one."""
    items = list(items)
    processes = render_processes()
    if processes > 1 and len(items) >= PARALLEL_MINIMUM and _can_fork():
        return _render_in_processes(items, processes)
    return _render_here(items)


def render_certificate(data):
    """One certificate as PDF/A bytes."""
    return render_certificates([data])[0]
