"""Sharing a certificate from "My certificates": its verification link (visible and selectable without script,
copied with it), LinkedIn's add-to-profile link filled in from the certificate, and the link as a QR code; a
revoked certificate is shared with no one."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from credentials import services
from credentials.models import Credential

from .world import signed_in

pytestmark = pytest.mark.django_db


def my_page(client, world):
    response = signed_in(client, world.learner.user).get("/credentials/mine/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def linkedin_links(page):
    return [html.unescape(href) for href in re.findall(r'href="(https://www\.linkedin\.com/[^"]+)"', page)]


def test_her_page_shows_the_link_to_copy_and_the_linkedin_link_with_what_the_certificate_says(
    client, world, credential
):
    page = my_page(client, world)
    verify_url = f"{settings.PATHWAYS_PUBLIC_URL}/verify/{credential.verification_code}/"

    # The link itself, in a read-only box: selectable with or without script.
    assert re.search(rf'<input [^>]*readonly value="{re.escape(verify_url)}"', page)
    assert "data-copy=" in page and "credentials/share.js" in page and "<script>" not in page
    (link,) = linkedin_links(page)
    parts = urlsplit(link)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/profile/add")
    issued = credential.issued_on
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "ESOL Level 1",
        "organizationName": "Northside Refugee Center",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": verify_url,
        "certId": credential.grouped_code,
    }


def test_the_qr_code_of_the_link_is_on_her_page(client, world, credential):
    page = my_page(client, world)

    svg = re.search(r'<svg [^>]*class="qr".*?</svg>', page, re.S)
    with translation.override("ar"):  # her portal is in her language
        title = gettext("QR code of the link to check this certificate")
    assert title != "QR code of the link to check this certificate"
    assert svg and f"<title>{title}</title>" in svg.group(0)
    assert "style=" not in svg.group(0)  # nothing the Content-Security-Policy would refuse


def test_an_expiring_certificate_tells_linkedin_when_it_expires(client, world, credential):
    Credential.objects.filter(pk=credential.pk).update(expires_on=datetime.date(2027, 11, 30))

    (link,) = linkedin_links(my_page(client, world))

    query = parse_qs(urlsplit(link).query)
    assert (query["expirationYear"], query["expirationMonth"]) == (["2027"], ["11"])


def test_a_revoked_certificate_offers_no_share(client, world, credential):
    services.revoke_credential(credential=credential, reason="Issued by mistake", by=world.manager)

    page = my_page(client, world)

    assert linkedin_links(page) == []
    assert 'class="qr"' not in page and "data-copy=" not in page
    assert credential.verification_code not in page
