"""Safe PDF rendering (core.pdf): neither a certificate nor the funder report fetches a file:// path or a URL,
even when its HTML names one. A stand-in server on loopback counts what would have been fetched."""

import copy
import http.server
import io
import threading

import pytest
from PIL import Image
from pypdf import PdfReader

from credentials.pdf import render_certificate
from outcomes.report import report_pdf
from tests.credentials.test_pdf import certificate, text_of


@pytest.fixture
def stand_in_server():
    """An HTTP server on 127.0.0.1 that answers every GET with a small PNG and remembers the paths asked for."""
    asked = []
    image = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(image, "PNG")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(image.getvalue())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.asked = asked
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_image(tmp_path):
    path = tmp_path / "secret.png"
    Image.new("RGB", (20, 20), "blue").save(path)
    return path


def slipped_in(server, secret_image):
    """What a careless template or a pasted value might carry: a file on the server, a remote image and a
    remote stylesheet."""
    return (
        f'<link rel="stylesheet" href="{server.url}/probe.css">'
        f'<img alt="" style="width:2px;height:2px" src="file://{secret_image}">'
        f'<img alt="" style="width:2px;height:2px" src="{server.url}/probe.png">'
    )


def images_in(content):
    resources = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]
    objects = resources.get("/XObject", {})
    return [x for x in objects.values() if x.get_object()["/Subtype"] == "/Image"]


def test_the_funder_report_fetches_no_file_and_no_url(stand_in_server, secret_image):
    html = f"<html><body><h1>Outcomes 2026</h1>{slipped_in(stand_in_server, secret_image)}</body></html>"

    content = report_pdf(html)

    assert "Outcomes 2026" in text_of(content)
    assert stand_in_server.asked == []
    assert images_in(content) == []


@pytest.mark.django_db
def test_a_certificate_fetches_no_file_and_no_url_even_from_an_overridden_template(
    settings, tmp_path, stand_in_server, secret_image
):
    templates = tmp_path / "templates" / "credentials" / "certificate"
    templates.mkdir(parents=True)
    (templates / "document.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ title }}</title></head>"
        f"<body>{slipped_in(stand_in_server, secret_image)}{{{{ sheets }}}}</body></html>"
    )
    settings.TEMPLATES = copy.deepcopy(settings.TEMPLATES)
    settings.TEMPLATES[0]["DIRS"] = [tmp_path / "templates"]

    content = render_certificate(certificate("فاطمة الزهراء"))

    assert "فاطمة الزهراء" in text_of(content)
    assert stand_in_server.asked == []
    assert len(images_in(content)) == 1  # the QR code, inlined by the renderer; not the file, not the URL
