"""The "Credentials" admin: who may open each view, what partner staff see, and that revoking and issuing a
cohort's certificates (choose, preview, confirm, progress) do what the manager is told they did."""

import re

import pytest
from wagtail.models import Locale, ModelLogEntry

from credentials import services
from credentials.models import BulkIssuance, CertificateTemplate, Credential, CredentialPathway
from tests.builders import page_text

from .world import NO_ADMIN, ROLES, assert_turned_away_to_login, certificate_template, signed_in

pytestmark = pytest.mark.django_db


class Issued:
    """The world with Fatima's certificate issued, María's (other partner) too, and a finished batch."""

    def __init__(self, world):
        self.world = world
        self.credential = services.issue_credential(
            learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
        )
        self.other_credential = services.issue_credential(
            learner=world.other_learner, pathway=world.pathway, cohort=world.other_cohort, by=world.manager
        )
        self.batch = BulkIssuance.objects.create(
            cohort=world.cohort,
            pathway=world.pathway,
            requested_by=world.manager,
            learner_ids=[],
            total=0,
            status="done",
        )

    def url(self, template):
        world = self.world
        return template.format(
            credential=self.credential.pk,
            batch=self.batch.pk,
            cohort=world.cohort.pk,
            pathway=world.pathway.pk,
            template=world.pathway.template.pk,
        )


@pytest.fixture
def issued(world):
    return Issued(world)


# --- who may open what ----------------------------------------------------------------------------------

# Open to partner staff and managers; the rows are Northside's, so another partner's staff get a 404
# where the URL names a row (or, for the preview of another partner's cohort, are sent back to choose).
WORK_URLS = {
    "issued certificates": ("/admin/credentials/", 200),
    "issued certificates filtered": ("/admin/credentials/?status=issued&pathway={pathway}", 200),
    "certificate": ("/admin/credentials/inspect/{credential}/", 404),
    "certificate history": ("/admin/credentials/history/{credential}/", 404),
    "revoke": ("/admin/credentials/revoke/{credential}/", 404),
    "batches": ("/admin/certificate-batches/", 200),
    "choose a batch": ("/admin/certificate-batches/new/", 200),
    "preview a batch": ("/admin/certificate-batches/preview/?cohort={cohort}&pathway={pathway}", 302),
    "batch progress": ("/admin/certificate-batches/inspect/{batch}/", 404),
    "batch history": ("/admin/certificate-batches/history/{batch}/", 404),
}
CONFIGURATION_URLS = {
    "pathways": "/admin/credential-pathways/",
    "new pathway": "/admin/credential-pathways/new/",
    "edit pathway": "/admin/credential-pathways/edit/{pathway}/",
    "delete pathway": "/admin/credential-pathways/delete/{pathway}/",
    "templates": "/admin/certificate-templates/",
    "new template": "/admin/certificate-templates/add/",
    "edit template": "/admin/certificate-templates/edit/{template}/",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", WORK_URLS)
def test_certificate_work_is_for_partner_staff_and_managers_within_their_partner(client, issued, view, role):
    url, other_partner_status = WORK_URLS[view]

    response = signed_in(client, issued.world.user(role)).get(issued.url(url))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role == "other_partner_staff":
        assert response.status_code == other_partner_status
        if other_partner_status == 302:
            assert response.url.startswith("/admin/certificate-batches/new/")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", CONFIGURATION_URLS)
def test_pathways_and_templates_are_configured_by_program_managers_only(client, issued, view, role):
    response = signed_in(client, issued.world.user(role)).get(issued.url(CONFIGURATION_URLS[view]))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role in ("partner_staff", "other_partner_staff") and view == "delete pathway":
        assert response.status_code == 404  # the row is loaded through the policy: there is none for them
    elif role in ("partner_staff", "other_partner_staff"):
        assert response.status_code == 302
        assert response.url == "/admin/"
    elif view == "delete pathway":
        # Certificates point at this pathway: the manager is sent back with the reason.
        assert response.status_code == 302
        assert response.url == issued.url("/admin/credential-pathways/edit/{pathway}/")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "gone",
    [
        "/admin/credentials/new/",
        "/admin/credentials/edit/{credential}/",
        "/admin/credentials/delete/{credential}/",
        "/admin/certificate-batches/edit/{batch}/",
        "/admin/certificate-batches/delete/{batch}/",
    ],
)
def test_certificates_and_batches_cannot_be_added_edited_or_deleted_by_hand_even_by_a_manager(client, issued, gone):
    assert signed_in(client, issued.world.manager).get(issued.url(gone)).status_code == 404


def test_partner_staff_see_only_their_partners_certificates_and_cohorts(client, issued):
    text = page_text(signed_in(client, issued.world.partner_staff).get("/admin/credentials/"))

    assert "فاطمة الزهراء أحمد" in text
    assert "María José Pérez" not in text
    choose = page_text(client.get("/admin/certificate-batches/new/"))
    assert "Northside Evening English" in choose and "Unidos Citizenship" not in choose


def test_the_credentials_listing_reads_in_a_fixed_number_of_queries(client, issued, django_assert_max_num_queries):
    world = issued.world
    for number in range(12):
        from people.models import Learner

        from .world import enrolled, mark, present

        learner = Learner.objects.create(partner=world.partner, full_name=f"Learner {number:02}", consent_data=True)
        mark(enrolled(world.cohort, learner), world.sessions, present(10))
        services.issue_credential(learner=learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)
    signed_in(client, world.manager)
    client.get("/admin/credentials/")  # warm Wagtail's per-process caches

    with django_assert_max_num_queries(20) as few:
        response = client.get("/admin/credentials/")
    assert page_text(response).count("Learner ") >= 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/credentials/?status=issued")


def test_the_menu_shows_partner_staff_certificates_but_not_the_configuration(client, issued):
    text = page_text(signed_in(client, issued.world.partner_staff).get("/admin/"))

    assert "/admin/credentials/" in text and "/admin/certificate-batches/" in text
    assert "/admin/credential-pathways/" not in text and "/admin/certificate-templates/" not in text


# --- revoking --------------------------------------------------------------------------------------------


def test_a_manager_revokes_with_a_reason_and_the_certificate_page_says_so(client, issued):
    credential = issued.credential
    signed_in(client, issued.world.manager)

    response = client.post(f"/admin/credentials/revoke/{credential.pk}/", {"reason": "Issued by mistake"})

    assert response.status_code == 302 and response.url == f"/admin/credentials/inspect/{credential.pk}/"
    credential.refresh_from_db()
    assert credential.is_revoked and credential.revoked_reason == "Issued by mistake"
    text = page_text(client.get(response.url))
    assert "Revoked on" in text and "Issued by mistake" in text
    assert "Revoke this certificate" not in text


def test_a_revocation_without_a_reason_is_refused_on_the_field_and_changes_nothing(client, issued):
    signed_in(client, issued.world.partner_staff)

    response = client.post(f"/admin/credentials/revoke/{issued.credential.pk}/", {"reason": ""})

    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    issued.credential.refresh_from_db()
    assert not issued.credential.is_revoked


def test_another_partners_staff_cannot_revoke_by_posting(client, issued):
    response = signed_in(client, issued.world.other_partner_staff).post(
        f"/admin/credentials/revoke/{issued.credential.pk}/", {"reason": "Because"}
    )

    assert response.status_code == 404
    issued.credential.refresh_from_db()
    assert not issued.credential.is_revoked


# --- issuing a cohort's certificates -----------------------------------------------------------------------


def test_choosing_a_cohort_and_credential_leads_to_the_preview_of_who_qualifies_and_why_not(client, world):
    signed_in(client, world.partner_staff)

    response = client.get(f"/admin/certificate-batches/new/?cohort={world.cohort.pk}&pathway={world.pathway.pk}")

    assert response.status_code == 302
    preview = page_text(client.get(response.url))
    assert "1 learner meets every requirement" in preview and "فاطمة الزهراء أحمد" in preview
    assert "1 learner does not qualify yet" in preview and "王秀英" in preview
    assert "Attendance 50% (5 of 10 sessions); needs 75%" in preview
    assert "Needs 2 more hours (10 of 12)." in preview


def test_a_credential_the_cohorts_course_does_not_lead_to_is_refused_on_the_field(client, world):
    from courses.models import Track

    from .world import pathway

    business = pathway("Business launch", tracks=[Track.ENTREPRENEURSHIP])
    signed_in(client, world.manager)

    response = client.get(f"/admin/certificate-batches/new/?cohort={world.cohort.pk}&pathway={business.pk}")

    assert response.status_code == 200
    assert "“Business launch” is not earned in English for Everyday Life" in page_text(response)


def test_confirming_issues_the_ticked_learners_and_the_progress_page_shows_it(
    client, world, django_capture_on_commit_callbacks
):
    signed_in(client, world.manager)
    preview = f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            preview,
            {
                "cohort": world.cohort.pk,
                "pathway": world.pathway.pk,
                "learner": [world.learner.pk, world.second_learner.pk],
            },
        )

    batch = BulkIssuance.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/certificate-batches/inspect/{batch.pk}/"
    # Only the eligible one was kept; the task ran (eagerly) after the commit.
    assert batch.learner_ids == [world.learner.pk]
    assert Credential.objects.get().learner == world.learner
    page = page_text(client.get(response.url))
    assert "1 of 1 learner done: 1 issued." in page
    assert "See the certificates" in page and "hx-get" not in page
    assert ModelLogEntry.objects.filter(action="credentials.batch.start", user=world.manager).exists()


def test_a_running_batch_polls_with_htmx_and_has_a_refresh_link_without_javascript(client, world):
    batch = BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[world.learner.pk],
        total=4,
        issued=1,
        status=BulkIssuance.Status.RUNNING,
    )
    signed_in(client, world.partner_staff)
    url = f"/admin/certificate-batches/inspect/{batch.pk}/"

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    text = page_text(page)
    assert f'hx-get="{url}"' in text and 'hx-trigger="every 2s"' in text
    assert f'<a href="{url}">Refresh</a>' in text
    assert "/static/django_htmx/htmx" in text and "<script>" not in text
    assert '<progress id="batch-bar" max="4" value="1"' in text
    # The fragment is just the progress, for htmx to swap in.
    assert fragment.status_code == 200
    assert page_text(fragment).strip().startswith('<div class="credential-batch')
    assert "<html" not in page_text(fragment)


def test_confirming_with_nobody_ticked_issues_nothing(client, world):
    signed_in(client, world.manager)

    response = client.post(
        f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}",
        {"cohort": world.cohort.pk, "pathway": world.pathway.pk},
    )

    assert response.status_code == 302
    assert not BulkIssuance.objects.exists()


def test_another_partners_staff_cannot_issue_to_a_cohort_by_posting(client, world):
    response = signed_in(client, world.other_partner_staff).post(
        f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}",
        {"cohort": world.cohort.pk, "pathway": world.pathway.pk, "learner": [world.learner.pk]},
    )

    assert response.status_code == 404
    assert not BulkIssuance.objects.exists() and not Credential.objects.exists()


# --- configuration ---------------------------------------------------------------------------------------


def test_a_pathway_needs_a_track_or_a_course_and_bad_input_is_said_on_the_field(client, world):
    signed_in(client, world.manager)

    response = client.post(
        "/admin/credential-pathways/new/",
        {
            "name": "Health worker bridge",
            "description": "",
            "min_attendance_percent": "120",
            "min_hours": "",
            "template": world.pathway.template.pk,
        },
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "Choose at least one track or one course, or no one can earn this credential." in text
    assert "Ensure this value is less than or equal to 100." in text
    assert not CredentialPathway.objects.filter(name="Health worker bridge").exists()


def test_a_template_with_an_unknown_placeholder_is_refused_on_the_field(client, world):
    signed_in(client, world.manager)

    response = client.post(
        "/admin/certificate-templates/add/",
        {
            "name": "Typo template",
            "title": "Certificate",
            "body": "{learner_nme} completed {pathway}.",
            "second_language_title": "",
            "second_language_body": "",
            "primary_colour": "#1f4e79",
            "orientation": "landscape",
            "paper_size": "letter",
        },
    )

    assert response.status_code == 200
    assert "Unknown placeholder: {learner_nme}." in page_text(response)
    assert not CertificateTemplate.objects.filter(name="Typo template").exists()


CHOOSER_URLS = [
    "/admin/snippets/choose/credentials/certificatetemplate/",
    "/admin/snippets/choose/credentials/certificatetemplate/results/",
    "/admin/snippets/choose/credentials/certificatetemplate/chosen/{template}/",
    "/admin/snippets/choose/credentials/certificatetemplate/create/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", CHOOSER_URLS)
def test_the_template_chooser_is_for_program_managers_too(client, issued, url, role):
    response = signed_in(client, issued.world.user(role)).get(issued.url(url))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role == "manager":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url == "/admin/"


# --- the credential's name in every language ------------------------------------------------------------------


def form_values(response):
    """What the browser would send for the page's main form, unchanged: every named input, ticked box,
    selected option and text area."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.content, "html.parser")
    form = page.find("input", attrs={"name": "name"}).find_parent("form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file"):
            continue
        if field.name == "select":
            chosen = [option.get("value", "") for option in field.find_all("option") if option.has_attr("selected")]
            data.setdefault(name, []).extend(chosen)
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def test_a_manager_names_the_credential_in_each_language_and_a_too_long_name_is_refused_at_its_input(client, world):
    url = f"/admin/credential-pathways/edit/{world.pathway.pk}/"
    client = signed_in(client, world.manager)
    data = form_values(client.get(url))
    names = {
        "es": "Inglés nivel 1",
        "pt-br": "Inglês nível 1",
        "ht": "Angle nivo 1",
        "zh-hans": "英语一级",
        "ar": "الإنجليزية المستوى 1",
    }

    too_long = client.post(url, data | {"name_translations_ar": "ع" * 161})
    assert too_long.status_code == 200
    assert "العربيّة: Ensure this value has at most 160 characters (it has 161)." in page_text(too_long)
    assert CredentialPathway.objects.get(pk=world.pathway.pk).name_translations == {}

    saved = client.post(url, data | {f"name_translations_{code}": name for code, name in names.items()})
    assert saved.status_code == 302
    pathway = CredentialPathway.objects.get(pk=world.pathway.pk)
    assert (pathway.name, pathway.name_translations) == ("ESOL Level 1", names)


def test_the_templates_list_tells_a_template_and_its_arabic_translation_apart(client, world):
    english = certificate_template(name="Bilingual certificate")
    english.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0]).save()

    response = signed_in(client, world.manager).get("/admin/certificate-templates/")

    rows = [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr.*?</tr>", response.content.decode(), re.S)]
    rows = [row for row in rows if "Bilingual certificate" in row]
    assert len(rows) == 2
    assert "Language" in page_text(response)
    assert sorted("Arabic" in row for row in rows) == [False, True]
    assert sorted("English" in row for row in rows) == [False, True]
