"""Credential pages outside the admin, for every role: the PDF download (private storage, never by URL
guessing), the learner's certificates in the portal, and the staff's eligibility page for a cohort."""

from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.views.static import serve
from wagtail.models import ModelLogEntry

from credentials import services
from tests.builders import page_text

from .world import ROLES, signed_in

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content)


def assert_sent_to_sign_in(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("people:login"))


# --- the PDF ---------------------------------------------------------------------------------------------

MAY_DOWNLOAD = {"learner", "instructor", "partner_staff", "manager"}


@pytest.mark.parametrize("role", ROLES)
def test_the_pdf_reaches_only_the_learner_and_staff_who_may_see_her(client, world, credential, role):
    response = signed_in(client, world.user(role)).get(f"/credentials/{credential.pk}/pdf/")

    if role == "anonymous":
        assert_sent_to_sign_in(response)
    elif role in MAY_DOWNLOAD:
        assert response.status_code == 200
        assert body(response) == Path(credential.pdf.path).read_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"
        assert "sandbox" in response["Content-Security-Policy"]
    else:
        assert response.status_code == 404


def test_every_download_is_audited(client, world, credential):
    signed_in(client, world.instructor).get(f"/credentials/{credential.pk}/pdf/")

    entry = ModelLogEntry.objects.get(action="credentials.credential.download")
    assert entry.user == world.instructor and entry.object_id == str(credential.pk)


def test_a_learner_no_longer_downloads_a_revoked_certificate_but_staff_still_can(client, world, credential):
    services.revoke_credential(credential=credential, reason="Wrong cohort", by=world.manager)

    assert signed_in(client, world.learner.user).get(f"/credentials/{credential.pk}/pdf/").status_code == 404
    assert signed_in(client, world.partner_staff).get(f"/credentials/{credential.pk}/pdf/").status_code == 200


def test_certificates_are_stored_privately_and_not_reachable_by_guessing_urls(client, world, credential, rf):
    name = credential.pdf.name
    stored = Path(credential.pdf.path)

    assert Path(settings.PRIVATE_STORAGE_ROOT) in stored.parents and Path(settings.MEDIA_ROOT) not in stored.parents
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    assert client.get(f"/{name}").status_code == 404
    assert client.get(f"/private/{name}").status_code == 404
    with pytest.raises(Http404):  # what `make run` (DEBUG) serves under MEDIA_URL does not have it either
        serve(rf.get(f"{settings.MEDIA_URL}{name}"), name, document_root=settings.MEDIA_ROOT)
    # The download URL by id is no way in either: another learner, and an id that does not exist, look the same.
    other = signed_in(client, world.other_learner.user)
    assert other.get(f"/credentials/{credential.pk}/pdf/").status_code == 404
    assert other.get(f"/credentials/{credential.pk + 1000}/pdf/").status_code == 404


def test_a_missing_file_is_a_404_not_a_500(client, world, credential):
    Path(credential.pdf.path).unlink()

    assert signed_in(client, world.manager).get(f"/credentials/{credential.pk}/pdf/").status_code == 404


# --- the learner's certificates ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_my_certificates_is_the_signed_in_learners_own(client, world, credential, role):
    response = signed_in(client, world.user(role)).get("/credentials/mine/")

    if role == "anonymous":
        assert_sent_to_sign_in(response)
    elif role in ("learner", "other_learner"):
        assert response.status_code == 200
        text = page_text(response)
        if role == "learner":
            assert "ESOL Level 1" in text and f"/credentials/{credential.pk}/pdf/" in text
            assert credential.grouped_code in text
        else:
            assert "No certificates yet." in text and credential.grouped_code not in text
    else:
        assert response.status_code == 302 and response.url == reverse("cohorts:today")


def test_a_learner_sees_what_is_left_toward_a_credential_in_her_language(client, world):
    response = signed_in(client, world.second_learner_account()).get("/credentials/mine/")

    text = page_text(response)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        on_my_way = gettext("On my way")
        hours_left = ngettext(
            "Needs %(missing)s more hour (%(hours)s of %(needed)s).",
            "Needs %(missing)s more hours (%(hours)s of %(needed)s).",
            2,
        ) % {"missing": 2, "hours": 10, "needed": 12}
    assert on_my_way != "On my way"  # in Chinese, not English
    assert on_my_way in text and "ESOL Level 1" in text
    assert hours_left in text


@pytest.mark.parametrize("role", ROLES)
def test_only_the_learner_chooses_whether_her_certificate_shows_publicly(client, world, credential, role):
    response = signed_in(client, world.user(role)).post(f"/credentials/{credential.pk}/visibility/", {"shown": "0"})

    credential.refresh_from_db()
    if role == "anonymous":
        assert_sent_to_sign_in(response)
    elif role == "learner":
        assert response.status_code == 302 and response.url == "/credentials/mine/"
        assert credential.shown_publicly is False
        assert ModelLogEntry.objects.filter(action="credentials.credential.visibility").exists()
    elif role == "other_learner":
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response.url == reverse("cohorts:today")
    if role != "learner":
        assert credential.shown_publicly is True


def test_the_visibility_switch_only_answers_posts(client, world, credential):
    assert signed_in(client, world.learner.user).get(f"/credentials/{credential.pk}/visibility/").status_code == 405


# --- the staff's page for a cohort -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_cohorts_eligibility_is_for_its_instructors_its_partners_staff_and_managers(client, world, role):
    response = signed_in(client, world.user(role)).get(f"/credentials/cohorts/{world.cohort.pk}/")

    if role == "anonymous":
        assert_sent_to_sign_in(response)
    elif role in ("instructor", "partner_staff", "manager"):
        assert response.status_code == 200
        text = page_text(response)
        assert "1 of 2 learners meet every requirement; 0 already hold the certificate." in text
        assert "Ready for the certificate" in text
        assert "Needs 2 more hours (10 of 12)." in text
    else:
        assert response.status_code == 404


def test_the_cohort_page_reads_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from people.models import Learner

    from .world import enrolled, mark, present

    signed_in(client, world.instructor)
    client.get(f"/credentials/cohorts/{world.cohort.pk}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/credentials/cohorts/{world.cohort.pk}/")
    for number in range(25):
        learner = Learner.objects.create(partner=world.partner, full_name=f"Learner {number:02}", consent_data=True)
        mark(enrolled(world.cohort, learner), world.sessions, present(number % 11, absent=10 - number % 11))

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/credentials/cohorts/{world.cohort.pk}/")
    assert page_text(response).count("card eligibility") == 27


def test_an_unknown_cohort_is_a_404(client, world):
    assert signed_in(client, world.manager).get("/credentials/cohorts/999999/").status_code == 404


# --- on the cohorts' own pages (cohorts.extensions) ----------------------------------------------------------


def test_the_portal_home_shows_her_certificate_to_download_and_no_one_elses(client, world, credential):
    mine = page_text(signed_in(client, world.learner.user).get(reverse("cohorts:portal")))
    theirs = page_text(signed_in(client, world.other_learner.user).get(reverse("cohorts:portal")))

    with translation.override(world.learner.preferred_language):
        my_certificates = gettext("My certificates")
    with translation.override(world.other_learner.preferred_language):
        all_done = gettext("You have done everything this certificate needs.")
    assert my_certificates in mine and f"/credentials/{credential.pk}/pdf/" in mine
    assert f"/credentials/{credential.pk}/pdf/" not in theirs
    # María has every requirement for hers: she is told the program will issue it.
    assert all_done in theirs


def test_the_portal_home_tells_a_learner_what_is_left(client, world):
    text = page_text(signed_in(client, world.second_learner_account()).get(reverse("cohorts:portal")))

    with translation.override("zh-hans"):
        left = ngettext("%(count)s thing left to do.", "%(count)s things left to do.", 2) % {"count": 2}
        attendance = gettext("Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%.") % {
            "rate": 50,
            "attended": 5,
            "counted": 10,
            "needed": 75,
        }
    assert left in text and left != "2 things left to do."
    assert attendance.rstrip("。.") in text


def test_the_cohort_staff_page_links_each_learner_to_their_credential_progress(client, world):
    text = page_text(signed_in(client, world.instructor).get(reverse("cohorts:cohort", args=[world.cohort.pk])))

    assert f"/credentials/cohorts/{world.cohort.pk}/#learner-{world.learner.pk}" in text
    assert "Credential progress" in text
