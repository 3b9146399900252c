"""The public verification page: what an employer sees for a valid, a revoked, an unknown or a mistyped code,
the learner's choice to keep details private, and the limit on misses that keeps codes from being guessed."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from credentials import codes, services
from credentials.models import Credential
from credentials.views import VERIFY_ATTEMPTS
from tests.builders import page_text, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_valid_certificate_shows_what_is_printed_on_it_to_anyone(client, credential):
    response = client.get(f"/verify/{credential.verification_code}/")

    assert response.status_code == 200
    text = page_text(response)
    assert "This certificate is valid." in text
    assert "فاطمة الزهراء أحمد" in text
    assert "ESOL Level 1" in text and "Northside Refugee Center" in text
    assert credential.grouped_code in text
    assert "Issued on" in text
    # Nothing the certificate does not show: not her email, her preferred name or her cohort.
    assert "fatima@example.org" not in text and "Fatima" not in text and "Northside Evening English" not in text
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex" and response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "typed",
    [
        "grouped",  # 7K2M-Q9XD-...
        "lower",  # 7k2mq9xd...
        "lower grouped with look-alikes",  # o for 0, l for 1
    ],
)
def test_the_code_is_accepted_with_or_without_dashes_and_in_small_letters(client, credential, typed):
    code = credential.verification_code
    written = {
        "grouped": credential.grouped_code,
        "lower": code.lower(),
        "lower grouped with look-alikes": credential.grouped_code.lower().replace("0", "o").replace("1", "l"),
    }[typed]

    response = client.get(f"/verify/{written}/")

    assert response.status_code == 200 and "This certificate is valid." in page_text(response)


def test_the_code_form_leads_to_the_certificates_page_and_says_what_is_wrong_with_a_bad_code(client, credential):
    form = client.get("/verify/")
    found = client.get("/verify/", {"code": f"  {credential.grouped_code.lower()} "})
    short = client.get("/verify/", {"code": "7K2M-Q9XD"})
    code = credential.verification_code
    typo = client.get("/verify/", {"code": code[:3] + ("A" if code[3] != "A" else "B") + code[4:]})

    assert form.status_code == 200 and "Verification code" in page_text(form)
    assert found.status_code == 302 and found.url == f"/verify/{code}/"
    assert short.status_code == 400
    assert "A verification code has 28 letters and digits; this one has 8." in page_text(short)
    assert typo.status_code == 400
    assert "This code has a typo." in page_text(typo)


def test_a_revoked_certificate_says_so_plainly_with_the_date_at_once(client, world, credential):
    services.revoke_credential(credential=credential, reason="Issued to the wrong person", by=world.manager)
    credential.refresh_from_db()

    response = client.get(f"/verify/{credential.verification_code}/")

    text = page_text(response)
    assert response.status_code == 200
    assert "This certificate was revoked. It is no longer valid." in text
    assert "Revoked on " in text and "This certificate is valid." not in text
    assert "Issued to the wrong person" not in text  # the reason stays with staff


def test_an_unknown_code_gets_a_friendly_404_with_the_form_to_try_again(client, credential):
    unknown = codes.new_code()

    response = client.get(f"/verify/{unknown}/")

    assert response.status_code == 404
    text = page_text(response)
    assert "We could not find this certificate" in text and "No certificate has this code." in text
    assert 'name="code"' in text
    assert "فاطمة" not in text


def test_a_mistyped_code_is_told_apart_from_an_unknown_one(client):
    response = client.get("/verify/NOT-A-REAL-CODE/")

    assert response.status_code == 404
    assert "This code is not complete or has a typo." in page_text(response)


# --- the learner's choice ------------------------------------------------------------------------------


def test_a_learner_who_keeps_details_private_shows_them_only_to_someone_who_has_her_name(client, world, credential):
    services.set_shown_publicly(credential=credential, shown=False, by=world.learner.user)
    world.pathway.description = "Everyday English for work."
    world.pathway.save()
    url = f"/verify/{credential.verification_code}/"

    only_code = client.get(url)
    wrong_name = client.post(url, {"name": "Someone Else"})
    right_name = client.post(url, {"name": "  فاطمة   الزهراء أحمد "})

    text = page_text(only_code)
    assert only_code.status_code == 200
    assert "A certificate with this code exists." in text
    assert "فاطمة" not in text and "ESOL Level 1" not in text and "Northside" not in text
    assert "That is not the name printed on this certificate." in page_text(wrong_name)
    assert "ESOL Level 1" not in page_text(wrong_name)
    assert "This certificate is valid." in page_text(right_name) and "ESOL Level 1" in page_text(right_name)
    # What it certified, too, only with the name.
    for hidden in (only_code, wrong_name):
        assert "Everyday English for work." not in page_text(hidden) and "Hours attended" not in page_text(hidden)
    assert "Everyday English for work." in page_text(right_name) and "Hours attended" in page_text(right_name)


def test_names_typed_by_someone_else_are_compared_forgivingly():
    from credentials.views import same_name

    assert same_name("jean-baptiste wilnè", "Jean-Baptiste Wilnè")
    assert same_name("Jean Baptiste Wilne\u0300", "Jean-Baptiste Wilnè")  # decomposed accent, no hyphen
    assert not same_name("Jean-Baptiste", "Jean-Baptiste Wilnè")
    assert not same_name("   ", "")


# --- the limit on misses ----------------------------------------------------------------------------------


def test_too_many_misses_from_one_address_block_every_lookup_from_it_for_a_while(client, credential):
    for _ in range(VERIFY_ATTEMPTS.attempts):
        assert client.get(f"/verify/{codes.new_code()}/").status_code == 404

    blocked = client.get(f"/verify/{credential.verification_code}/")
    elsewhere = client.get(f"/verify/{credential.verification_code}/", REMOTE_ADDR="203.0.113.9")

    assert blocked.status_code == 429
    assert "Too many codes that did not match were tried" in page_text(blocked)
    assert "فاطمة" not in page_text(blocked)  # not even a right code is looked up during the pause
    assert blocked["Retry-After"] == "600"
    assert elsewhere.status_code == 200


def test_lookups_that_find_a_certificate_do_not_count_toward_the_limit(client, credential):
    for _ in range(VERIFY_ATTEMPTS.attempts + 5):
        assert client.get(f"/verify/{credential.verification_code}/").status_code == 200


def test_wrong_names_for_a_private_certificate_count_toward_the_limit(client, world, credential):
    services.set_shown_publicly(credential=credential, shown=False, by=world.learner.user)
    url = f"/verify/{credential.verification_code}/"

    for _ in range(VERIFY_ATTEMPTS.attempts):
        client.post(url, {"name": "Guess"})

    assert client.post(url, {"name": "فاطمة الزهراء أحمد"}).status_code == 429


@pytest.mark.parametrize("role", ["learner", "manager"])
def test_the_page_is_the_same_for_signed_in_people(client, world, credential, role):
    response = signed_in(client, world.user(role)).get(f"/verify/{credential.verification_code}/")

    assert response.status_code == 200 and "This certificate is valid." in page_text(response)


# --- the short link printed on the certificate --------------------------------------------------------------


def test_the_short_link_printed_and_in_the_qr_code_opens_the_same_page_at_the_public_address(client, credential):
    code = credential.verification_code
    assert services.printed_verify_url(code) == f"https://pathways.example.org/v/{code}"  # settings.test's address

    response = client.get(f"/v/{code}")

    assert response.status_code == 200
    text = page_text(response)
    assert "This certificate is valid." in text and "فاطمة الزهراء أحمد" in text
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_misses_at_the_short_link_and_the_long_one_count_against_one_limit(client, credential):
    for number in range(VERIFY_ATTEMPTS.attempts):
        path = f"/v/{codes.new_code()}" if number % 2 else f"/verify/{codes.new_code()}/"
        assert client.get(path).status_code == 404

    assert client.get(f"/v/{credential.verification_code}").status_code == 429
    assert client.get(f"/verify/{credential.verification_code}/").status_code == 429


def test_a_private_certificate_asks_for_the_name_at_the_short_link_too(client, world, credential):
    services.set_shown_publicly(credential=credential, shown=False, by=world.learner.user)
    url = f"/v/{credential.verification_code}"

    assert "فاطمة" not in page_text(client.get(url))
    assert "فاطمة الزهراء أحمد" in page_text(client.post(url, {"name": "فاطمة الزهراء أحمد"}))


# --- direction: the page's language decides, the name is isolated -------------------------------------------


@pytest.mark.parametrize("language, direction", [("en", "ltr"), ("ar", "rtl")])
def test_the_page_reads_in_its_languages_direction_with_the_name_and_issuer_isolated(
    client, credential, language, direction
):
    """An Arabic name on the English page (and a Latin issuer on the Arabic one) is isolated, so it cannot
    turn the sentence around it (a regression test: the pages already did this when the PDF did not)."""
    page = client.get(f"/v/{credential.verification_code}", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<html lang="{language}" dir="{direction}">' in page
    assert '<bdi dir="auto">فاطمة الزهراء أحمد</bdi>' in page
    assert '<bdi dir="auto">Northside Refugee Center</bdi>' in page
    assert f'<code dir="ltr">{credential.grouped_code}</code>' in page


def test_my_certificates_isolate_the_issuer_in_the_learners_arabic_sentence(client, world, credential):
    page = signed_in(client, world.learner.user).get("/credentials/mine/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "<bdi>Northside Refugee Center</bdi>" in page
    assert '<bdi dir="auto" lang="en">ESOL Level 1</bdi>' in page  # the English title, marked so inside Arabic


# --- what was certified, and expired certificates ------------------------------------------------------


def png_logo():
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images.models import Image

    buffer = BytesIO()
    Picture.new("RGB", (120, 60), "#1f4e79").save(buffer, "PNG")
    return Image.objects.create(title="Northside logo", file=ImageFile(buffer, name="northside-logo.png"))


def test_the_page_shows_what_was_certified_hours_dates_meaning_requirements_and_the_issuers_logo(client, world):
    from cohorts.models import Cohort

    Cohort.objects.filter(pk=world.cohort.pk).update(
        start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2026, 10, 30)
    )
    world.cohort.refresh_from_db()
    world.pathway.description = "Everyday English for work: speaking with customers and reading a schedule."
    world.pathway.save()
    partner = world.cohort.partner
    partner.logo = png_logo()
    partner.save()
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )

    response = client.get(f"/verify/{credential.verification_code}/", HTTP_ACCEPT_LANGUAGE="en")

    text = page_text(response)
    # Ten two-hour classes attended; the cohort's dates as printed on the paper.
    assert "Hours attended</dt><dd>20</dd>" in text
    assert "From Oct. 1, 2026 to Oct. 30, 2026" in text
    assert "Everyday English for work: speaking with customers and reading a schedule." in text
    assert "Came to at least 75% of the classes." in text and "Attended at least 12 hours of class." in text
    assert "Northside Refugee Center" in text and "ESOL Level 1" in text
    assert re.search(r'<img [^>]*class="verify__logo"', text)


def test_a_pathway_with_a_validity_dates_the_certificate_and_the_page_says_when_it_expired(client, world):
    world.pathway.validity_months = 12
    world.pathway.save()
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    issued = credential.issued_on
    assert not (issued.month == 2 and issued.day == 29)  # a plain day: a year on is the same day and month
    assert credential.expires_on == datetime.date(issued.year + 1, issued.month, issued.day)

    still_valid = page_text(client.get(f"/verify/{credential.verification_code}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "This certificate is valid." in still_valid and "Valid until" in still_valid

    Credential.objects.filter(pk=credential.pk).update(expires_on=datetime.date(2025, 6, 30))
    expired = page_text(client.get(f"/verify/{credential.verification_code}/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "This certificate has expired. It is no longer valid." in expired
    assert "It was valid until June 30, 2025." in expired
    assert "This certificate is valid." not in expired and "badge--ok" not in expired


def test_a_certificate_is_valid_on_the_day_it_expires_and_not_the_day_after(world):
    credential = Credential(expires_on=datetime.date(2026, 6, 30), status=Credential.Status.ISSUED)

    assert not credential.is_expired(today=datetime.date(2026, 6, 30))
    assert credential.is_expired(today=datetime.date(2026, 7, 1))
    assert not Credential(expires_on=None).is_expired(today=datetime.date(2100, 1, 1))


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert services.add_months(datetime.date(2027, 12, 15), 14) == datetime.date(2029, 2, 15)


def test_the_states_read_in_arabic_too(client, world, credential):
    services.revoke_credential(credential=credential, reason="Issued to the wrong person", by=world.manager)

    response = client.get(f"/verify/{credential.verification_code}/", HTTP_ACCEPT_LANGUAGE="ar")

    with translation.override("ar"):
        revoked = gettext("This certificate was revoked. It is no longer valid.")
        hours = gettext("Hours attended")
    assert revoked != "This certificate was revoked. It is no longer valid."
    assert revoked in page_text(response) and hours in page_text(response)
    assert 'dir="rtl"' in page_text(response)


def test_a_certificate_issued_while_the_cohort_runs_and_its_page_state_the_same_period_not_the_future_end(
    client, world
):
    """The paper of an achievement reached mid-cohort covers the weeks up to its issue day; the public page used to
    show the cohort's last day, months ahead, beside it."""
    from cohorts.models import Cohort

    today = world.cohort.local_today()
    start, end = today - datetime.timedelta(days=60), today + datetime.timedelta(days=56)
    Cohort.objects.filter(pk=world.cohort.pk).update(start_date=start, end_date=end)
    world.cohort.refresh_from_db()
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )

    text = page_text(client.get(f"/verify/{credential.verification_code}/", HTTP_ACCEPT_LANGUAGE="en"))

    with translation.override("en"):
        from django.utils.formats import date_format

        stated = f"From {date_format(start, 'DATE_FORMAT')} to {date_format(today, 'DATE_FORMAT')}"
        future = date_format(end, "DATE_FORMAT")
    assert credential.issued_on == today
    assert stated in text
    assert future not in text
