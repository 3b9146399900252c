"""What a learner shares of a valid certificate: its public verification link, that link as a QR code to show on
a phone, and LinkedIn's documented "add a certification to your profile" link filled in from the certificate.

Only what the certificate prints goes out (its title, issuer, date and code); a revoked certificate is shared
with no one (`share_for` gives None).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .services import verify_url

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class Share:
    url: str
    linkedin_url: str
    qr_svg: str  # inline SVG markup


def linkedin_url(credential, url):
    """LinkedIn's add-certification link: name, organization, issue (and expiry) month and year, id and URL."""
    parameters = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.title_as_printed,
        "organizationName": credential.issuer_as_printed,
        "issueYear": credential.issued_on.year,
        "issueMonth": credential.issued_on.month,
    }
    if credential.expires_on:
        parameters["expirationYear"] = credential.expires_on.year
        parameters["expirationMonth"] = credential.expires_on.month
    parameters["certUrl"] = url
    parameters["certId"] = credential.grouped_code
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(parameters)}"


def qr_svg(url, *, title=""):
    """The link as an inline SVG QR code (no script, no style attribute: it passes the Content-Security-Policy)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr", title=title)
    return mark_safe(svg)  # segno's own markup; the title is escaped by segno


def share_for(credential):
    if credential.is_revoked:
        return None
    url = verify_url(credential.verification_code)
    title = _("QR code of the link to check this certificate")
    return Share(url=url, linkedin_url=linkedin_url(credential, url), qr_svg=qr_svg(url, title=title))
