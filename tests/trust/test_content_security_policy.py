"""The policy each kind of page is served under: strict on the site (the brand colour's one inline rule
carries the response's nonce), looser inside the Wagtail admin only, strict again on its sign-in page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from people.models import Role
from people.services import assign_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_site_pages_allow_no_inline_script_and_only_the_nonced_brand_style(client, site_tree):
    response = client.get("/en/")

    directives = policy(response)
    assert response.status_code == 200
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["form-action"] == ["'self'"]
    nonce = re.search(
        r'<style nonce="([^"]+)">:root \{ --brand: #[0-9a-fA-F]{6}; \}</style>', response.content.decode()
    )
    assert nonce, "the brand rule lost its nonce"
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce[1]}'"]
    # A fresh nonce for every response, so one seen in a page is no use later.
    assert policy(client.get("/en/"))["style-src"] != directives["style-src"]


def test_the_wagtail_admin_allows_inline_script_and_style_but_nothing_else(client, site_tree):
    client.force_login(assign_role(user=UserFactory(), role=Role.PROGRAM_MANAGER))

    directives = policy(client.get("/admin/"))

    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert not any("'unsafe-eval'" in sources for sources in directives.values())


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/password_reset/"])
def test_the_admin_pages_anyone_can_open_keep_the_strict_policy(client, site_tree, path):
    response = client.get(path)

    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]


# Not pages under the site's policy: PDFs (WeasyPrint), emails, and admin pages (the admin's policy).
NOT_SITE_PAGES = re.compile(r"/(certificate|email|emails|pdf|admin|wagtailadmin)/")


def test_our_templates_have_no_inline_script_style_or_event_handler():
    root = Path(settings.BASE_DIR)
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        if NOT_SITE_PAGES.search(str(template.relative_to(root))):
            continue
        text = template.read_text()
        for line_number, line in enumerate(text.splitlines(), 1):
            inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", line) and "application/json" not in line
            handler = re.search(r"\son[a-z]+\s*=", line)
            style_attribute = re.search(r"\sstyle\s*=", line)
            style_element = re.search(r"<style(?![^>]*\bnonce=)[^>]*>", line)
            if inline_script or handler or style_attribute or style_element:
                offenders.append(f"{template.relative_to(root)}:{line_number}: {line.strip()[:100]}")

    assert not offenders, "The Content-Security-Policy blocks these; move them to a static file:\n" + "\n".join(
        offenders
    )
