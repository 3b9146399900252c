"""Who signs a certificate, and whose logo is on it: the issuing partner organization's own, whatever template
it shares with other partners. Read back from the real PDF with poppler's pdftotext."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as Picture
from pypdf import PdfReader
from wagtail.images import get_image_model

from credentials.services import issue_credential
from people.models import Partner, PartnerSignatory
from tests.builders import page_text

from .world import signed_in


def pdftotext(path):
    """The PDF's text, its lines joined (the masthead prints the partner in capitals)."""
    output = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(output.split())


def issue_to_unidos(world):
    return issue_credential(
        learner=world.other_learner, pathway=world.pathway, cohort=world.other_cohort, by=world.manager
    )


def wagtail_image(title, colour="#c0392b", size=(300, 100)):
    output = io.BytesIO()
    Picture.new("RGB", size, colour).save(output, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(output.getvalue()), name=f"{title.lower().replace(' ', '-')}.png")
    )


def images_in(path):
    resources = PdfReader(str(path)).pages[0]["/Resources"]
    return [x for x in resources["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]


@pytest.mark.django_db
def test_unidos_certificates_are_signed_by_unidos_people_not_northsides(world):
    # Both partners share the world's one template, as the demo's partners do.
    PartnerSignatory.objects.create(partner=world.partner, name="Daniel Reyes", role="Director")
    PartnerSignatory.objects.create(partner=world.other_partner, name="Rosa Delgado", role="Executive Director")
    PartnerSignatory.objects.create(partner=world.other_partner, name="Luis Ortega", role="Program Coordinator")

    text = pdftotext(Path(issue_to_unidos(world).pdf.path))

    assert "UNIDOS COMMUNITY SERVICES" in text
    assert "Rosa Delgado" in text and "Executive Director" in text
    assert "Luis Ortega" in text and "Program Coordinator" in text
    assert "Daniel Reyes" not in text and "Northside" not in text


@pytest.mark.django_db
def test_a_partner_without_a_signatory_prints_its_name_and_no_one_elses_signature(world):
    PartnerSignatory.objects.create(partner=world.partner, name="Daniel Reyes", role="Director")

    path = Path(issue_to_unidos(world).pdf.path)
    text = pdftotext(path)

    assert "UNIDOS COMMUNITY SERVICES" in text
    assert "Daniel Reyes" not in text and "Director" not in text
    assert len(images_in(path)) == 1  # the QR code only: no logo, no signature


@pytest.mark.django_db
def test_the_partners_logo_and_signature_image_are_printed_on_its_certificates_only(world):
    world.other_partner.logo = wagtail_image("Unidos logo")
    world.other_partner.save()
    PartnerSignatory.objects.create(
        partner=world.other_partner,
        name="Rosa Delgado",
        role="Executive Director",
        signature=wagtail_image("Rosa Delgado signature", "#12326b", (600, 180)),
    )

    unidos = Path(issue_to_unidos(world).pdf.path)
    northside = Path(
        issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager).pdf.path
    )

    assert len(images_in(unidos)) == 3  # logo, signature, QR code
    assert len(images_in(northside)) == 1  # Northside has neither: the QR code only


@pytest.mark.django_db
def test_the_bulk_preview_says_plainly_when_the_partner_has_no_signatory(client, world):
    signed_in(client, world.other_partner_staff)
    url = f"/admin/certificate-batches/preview/?cohort={world.other_cohort.pk}&pathway={world.pathway.pk}"

    warned = page_text(client.get(url))
    PartnerSignatory.objects.create(partner=world.other_partner, name="Rosa Delgado", role="Executive Director")
    signed = page_text(client.get(url))

    assert "Unidos Community Services has no signatory yet" in warned
    assert f'href="/admin/partners/edit/{world.other_partner.pk}/"' in warned
    assert "no signatory yet" not in signed


# --- where partners are edited -------------------------------------------------------------------------------


def partner_form(partner, signatories, **changes):
    data = {
        "name": partner.name,
        "slug": partner.slug,
        "region": partner.region,
        "logo": "",
        "signatories-TOTAL_FORMS": str(len(signatories)),
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "3",
    }
    for index, (name, role) in enumerate(signatories):
        data |= {
            f"signatories-{index}-name": name,
            f"signatories-{index}-role": role,
            f"signatories-{index}-signature": "",
            f"signatories-{index}-ORDER": str(index + 1),
            f"signatories-{index}-DELETE": "",
            f"signatories-{index}-id": "",
        }
    return data | changes


@pytest.mark.django_db
def test_partner_staff_set_who_signs_their_own_partners_certificates_in_the_admin(client, world):
    signed_in(client, world.other_partner_staff)
    partner = world.other_partner

    response = client.post(
        f"/admin/partners/edit/{partner.pk}/",
        partner_form(partner, [("Rosa Delgado", "Executive Director"), ("Luis Ortega", "Program Coordinator")]),
    )

    assert response.status_code == 302, page_text(response)
    assert list(partner.signatories.values_list("name", "role")) == [
        ("Rosa Delgado", "Executive Director"),
        ("Luis Ortega", "Program Coordinator"),
    ]
    assert "Rosa Delgado" in pdftotext(Path(issue_to_unidos(world).pdf.path))


@pytest.mark.django_db
def test_another_partners_staff_cannot_open_or_change_its_signatories(client, world):
    signed_in(client, world.other_partner_staff)
    partner = world.partner

    opened = client.get(f"/admin/partners/edit/{partner.pk}/")
    posted = client.post(f"/admin/partners/edit/{partner.pk}/", partner_form(partner, [("Mallory", "Director")]))

    assert (opened.status_code, posted.status_code) == (404, 404)
    assert not partner.signatories.exists()


@pytest.mark.django_db
def test_a_fourth_signatory_is_refused_and_nothing_is_saved(client, world):
    signed_in(client, world.manager)
    partner = world.other_partner
    people = [("A One", "Director"), ("B Two", "Director"), ("C Three", "Director"), ("D Four", "Director")]

    response = client.post(f"/admin/partners/edit/{partner.pk}/", partner_form(partner, people, name="Renamed"))

    assert response.status_code == 200
    assert "Please submit at most 3 forms." in page_text(response)
    assert not partner.signatories.exists()
    assert Partner.objects.get(pk=partner.pk).name == "Unidos Community Services"


@pytest.mark.django_db
def test_a_signatory_without_a_role_is_refused_on_the_field(client, world):
    signed_in(client, world.manager)
    partner = world.other_partner

    response = client.post(f"/admin/partners/edit/{partner.pk}/", partner_form(partner, [("Rosa Delgado", "")]))

    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    assert not partner.signatories.exists()
