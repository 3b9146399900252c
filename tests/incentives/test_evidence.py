"""Evidence files live in private storage and reach only the people who may see them: never by a public URL,
each download streamed after a check (people.access) and written to the audit log."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.views.static import serve
from wagtail.models import ModelLogEntry

from incentives import services
from incentives.models import MilestoneType, SavingsMatchRule

from .admin_world import World, signed_in
from .conftest import OCTOBER

pytestmark = pytest.mark.django_db

LICENSE_BYTES = b"%PDF-1.4\n% a business license\n"
STATEMENT_BYTES = b"\x89PNG\r\n\x1a\n a bank statement"
EVERYONE = [
    "anonymous",
    "learner",  # the learner the evidence is about
    "other_learner",
    "instructor",  # teaches that learner
    "other_instructor",  # teaches another cohort of the same partner
    "partner_staff",
    "other_partner_staff",
    "manager",
]


class EvidenceWorld(World):
    def __init__(self):
        super().__init__()
        license_type = MilestoneType.objects.create(
            name="Business license", slug="business-license", track="entrepreneurship", evidence_required=True
        )
        self.achievement = services.record_milestone(
            learner=self.learner,
            milestone_type=license_type,
            achieved_on=datetime.date(2026, 11, 2),
            evidence=SimpleUploadedFile("رخصة تجارية.pdf", LICENSE_BYTES, content_type="application/pdf"),
            by=self.instructor,
        )
        rule = SavingsMatchRule.objects.create(name="Savings match", active_from=datetime.date(2026, 1, 1))
        self.deposit = services.record_savings_deposit(
            learner=self.learner,
            rule=rule,
            month=OCTOBER,
            deposit=Decimal("120"),
            evidence=SimpleUploadedFile("statement.png", STATEMENT_BYTES, content_type="image/png"),
            by=self.partner_staff,
        )

    def user(self, role):
        if role == "other_learner":
            return self.other_learner.user
        return super().user(role)


@pytest.fixture
def world(db):
    return EvidenceWorld()


def achievement_url(world):
    return f"/incentives/evidence/achievement/{world.achievement.pk}/"


def savings_url(world):
    return f"/incentives/evidence/savings/{world.deposit.pk}/"


def body(response):
    return b"".join(response.streaming_content)


# --- never public ------------------------------------------------------------------------------------------


def test_evidence_is_stored_outside_the_public_media_and_not_reachable_under_media_url(client, world, rf):
    name = world.achievement.evidence.name
    stored = Path(world.achievement.evidence.path)

    assert Path(settings.PRIVATE_STORAGE_ROOT) in stored.parents and stored.exists()
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    # What `make run` (DEBUG) serves under MEDIA_URL does not have it either.
    with pytest.raises(Http404):
        serve(rf.get(f"{settings.MEDIA_URL}{name}"), name, document_root=settings.MEDIA_ROOT)
    assert name.startswith(f"evidence/{world.learner.pk}/")
    assert "رخصة" not in name  # stored under an unguessable name


# --- who may fetch it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_milestone_evidence_reaches_only_staff_who_may_see_the_learner_and_the_learner(client, world, role):
    response = signed_in(client, world.user(role)).get(achievement_url(world))

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("people:login"))
    elif role in ("learner", "instructor", "partner_staff", "manager"):
        assert response.status_code == 200
        assert body(response) == LICENSE_BYTES
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", EVERYONE)
def test_savings_evidence_is_a_bank_record_instructors_do_not_get(client, world, role):
    response = signed_in(client, world.user(role)).get(savings_url(world))

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("people:login"))
    elif role in ("learner", "partner_staff", "manager"):
        assert response.status_code == 200
        assert body(response) == STATEMENT_BYTES
    else:
        assert response.status_code == 404


# --- how it is sent ----------------------------------------------------------------------------------------


def test_the_file_is_an_attachment_under_its_original_name_with_headers_that_keep_it_inert(client, world):
    response = signed_in(client, world.manager).get(achievement_url(world))

    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D8%B1%D8%AE%D8%B5%D8%A9%20%D8%AA%D8%AC%D8%A7%D8%B1%D9%8A%D8%A9.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_content_type_comes_from_the_files_name(client, world):
    response = signed_in(client, world.partner_staff).get(savings_url(world))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="statement.png"'


def test_every_download_is_written_to_the_audit_log_with_who_fetched_it(client, world):
    signed_in(client, world.partner_staff).get(achievement_url(world))

    entry = ModelLogEntry.objects.get(action="incentives.evidence.download")
    assert entry.user_id == world.partner_staff.pk
    assert entry.object_id == str(world.achievement.pk)
    assert entry.data["kind"] == "milestone" and entry.data["file"] == "رخصة تجارية.pdf"


def test_a_refused_download_is_not_logged_as_a_download(client, world):
    signed_in(client, world.other_partner_staff).get(achievement_url(world))

    assert not ModelLogEntry.objects.filter(action="incentives.evidence.download").exists()


# --- nothing to fetch ------------------------------------------------------------------------------------------


def test_a_record_without_evidence_is_not_found(client, world):
    plan = MilestoneType.objects.create(name="Business plan", slug="business-plan")
    achievement = services.record_milestone(
        learner=world.learner, milestone_type=plan, achieved_on=datetime.date(2026, 11, 1), by=world.manager
    )

    response = signed_in(client, world.manager).get(f"/incentives/evidence/achievement/{achievement.pk}/")

    assert response.status_code == 404


def test_a_file_gone_from_storage_is_not_found_rather_than_an_error(client, world):
    world.achievement.evidence.storage.delete(world.achievement.evidence.name)

    response = signed_in(client, world.manager).get(achievement_url(world))

    assert response.status_code == 404


def test_an_unknown_record_is_not_found(client, world):
    assert signed_in(client, world.manager).get("/incentives/evidence/savings/999999/").status_code == 404


def test_evidence_is_only_fetched_never_posted_to(client, world):
    assert signed_in(client, world.manager).post(achievement_url(world)).status_code == 405
