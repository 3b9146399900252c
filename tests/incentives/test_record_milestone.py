"""Instructors record a learner's milestone from their cohort's page; managers verify it in the admin.

/incentives/milestones/record/<learner id>/ — who may open it, what it saves, what it refuses.
"""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from courses.models import Track
from incentives import services
from incentives.models import MilestoneAchievement, MilestoneType
from tests.cohorts.learner_world import ROLES, client_as, empty_cache, world  # noqa: F401

pytestmark = pytest.mark.django_db

# The world's learner (Amina) is in the instructor's ESOL cohort at partner Northside.
CAN_RECORD = {"instructor", "partner_staff", "manager"}


@pytest.fixture
def kinds(world):
    track = world.cohort.course.track
    return {
        "plan": MilestoneType.objects.create(slug="plan", name="Business plan", track=track, sort_order=1),
        "license": MilestoneType.objects.create(
            slug="license", name="Business license", track=track, evidence_required=True, sort_order=2
        ),
        "seed": MilestoneType.objects.create(
            slug="seed", name="SEED grant awarded", track=track, carries_amount=True, sort_order=3
        ),
        "elsewhere": MilestoneType.objects.create(
            slug="cdl",
            name="Commercial driver's license",
            track=Track.JOB_TRAINING if track != Track.JOB_TRAINING else Track.ENTREPRENEURSHIP,
        ),
    }


def url(learner, cohort=None):
    path = f"/incentives/milestones/record/{learner.pk}/"
    return f"{path}?cohort={cohort.pk}" if cohort else path


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_page_for_a_learner(client, world, kinds, role):
    response = client_as(client, world, role).get(url(world.learner, world.cohort))

    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in CAN_RECORD:
        assert response.status_code == 200
        assert "Amina Yusuf" in response.content.decode()
    else:  # learners (even Amina herself), the other cohort's instructor, the other partner's staff
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_nobody_records_for_a_learner_they_may_not_see(client, world, kinds, role):
    """Another partner's learner, addressed by id: only the program manager may record for them."""
    response = client_as(client, world, role).post(
        url(world.other_learner), {"milestone_type": kinds["plan"].pk, "achieved_on": "2026-11-02"}
    )

    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("manager", "other_partner_staff"):
        assert response.status_code == 302 and response["Location"] == "/teach/"
    else:
        assert response.status_code == 404
    recorded = MilestoneAchievement.objects.filter(learner=world.other_learner).exists()
    assert recorded == (role in ("manager", "other_partner_staff"))


def test_the_instructor_records_a_milestone_and_returns_to_the_cohort(client, world, kinds):
    client.force_login(world.instructor)

    response = client.post(
        url(world.learner, world.cohort),
        {"milestone_type": kinds["plan"].pk, "achieved_on": "2026-11-02", "note": "Reviewed in class"},
        follow=True,
    )

    achievement = MilestoneAchievement.objects.get(learner=world.learner)
    assert (achievement.milestone_type, achievement.status, achievement.recorded_by) == (
        kinds["plan"],
        MilestoneAchievement.Status.RECORDED,
        world.instructor,
    )
    assert response.redirect_chain[-1][0] == f"/teach/cohorts/{world.cohort.pk}/"
    assert "Business plan recorded for Amina. A program manager will verify it." in response.content.decode()
    assert ModelLogEntry.objects.filter(action="incentives.milestone.record", user=world.instructor).exists()


def test_evidence_is_kept_in_private_storage(client, world, kinds):
    client.force_login(world.instructor)
    upload = SimpleUploadedFile("license.pdf", b"%PDF-1.4 license", content_type="application/pdf")

    client.post(
        url(world.learner, world.cohort),
        {"milestone_type": kinds["license"].pk, "achieved_on": "2026-11-03", "evidence": upload},
    )

    achievement = MilestoneAchievement.objects.get(learner=world.learner)
    assert achievement.evidence_name == "license.pdf"
    assert achievement.evidence.path.startswith(str(settings.PRIVATE_STORAGE_ROOT))
    assert achievement.evidence.read() == b"%PDF-1.4 license"


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("license", {"achieved_on": "2026-11-03"}, "evidence", "Business license needs evidence"),
        ("seed", {"achieved_on": "2026-11-03"}, "amount", "Enter the amount for SEED grant awarded"),
        ("plan", {"achieved_on": "2099-01-01"}, "achieved_on", "The date cannot be in the future."),
        ("plan", {"achieved_on": "yesterday"}, "achieved_on", "Enter a valid date."),
        ("plan", {"achieved_on": "2026-11-03", "amount": "-5"}, "amount", "greater than or equal to 0"),
    ],
)
def test_bad_input_is_explained_on_the_field_and_nothing_is_saved(client, world, kinds, kind, fields, field, message):
    client.force_login(world.instructor)

    response = client.post(url(world.learner, world.cohort), {"milestone_type": kinds[kind].pk, **fields})

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not MilestoneAchievement.objects.exists()


def test_the_same_milestone_on_the_same_day_is_refused_with_a_reason(client, world, kinds):
    client.force_login(world.instructor)
    data = {"milestone_type": kinds["plan"].pk, "achieved_on": "2026-11-02"}
    client.post(url(world.learner, world.cohort), data)

    response = client.post(url(world.learner, world.cohort), data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert MilestoneAchievement.objects.count() == 1


def test_the_form_offers_the_milestones_of_the_learners_tracks(client, world, kinds):
    client.force_login(world.instructor)

    choices = client.get(url(world.learner, world.cohort)).context["form"].fields["milestone_type"].queryset

    assert set(choices) == {kinds["plan"], kinds["license"], kinds["seed"]}


def test_the_recorder_sees_why_evidence_was_rejected(client, world, kinds):
    achievement = services.record_milestone(
        learner=world.learner,
        milestone_type=kinds["seed"],
        achieved_on=datetime.date(2026, 10, 20),
        amount=Decimal("5000"),
        by=world.instructor,
    )
    services.reject_milestone(achievement=achievement, reason="The award letter is unsigned.", by=world.manager)
    client.force_login(world.instructor)

    page = client.get(url(world.learner, world.cohort)).content.decode()

    assert "SEED grant awarded" in page
    assert "The award letter is unsigned." in page


def test_the_cohort_page_links_each_learner_to_the_form_only_when_the_track_has_milestones(client, world):
    client.force_login(world.instructor)
    cohort_page = f"/teach/cohorts/{world.cohort.pk}/"
    link = f"/incentives/milestones/record/{world.learner.pk}/?cohort={world.cohort.pk}"

    assert link not in client.get(cohort_page).content.decode()
    MilestoneType.objects.create(slug="plan", name="Business plan", track=world.cohort.course.track)
    assert link in client.get(cohort_page).content.decode()


def test_a_cohort_that_is_not_the_users_is_not_offered_as_the_way_back(client, world, kinds):
    client.force_login(world.instructor)

    response = client.get(url(world.learner, world.other_cohort))

    assert response.status_code == 200
    assert response.context["back"] == "/teach/"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("license.pdf", b"<!DOCTYPE html><html><body><script>fetch('/teach/')</script></body></html>"),
        ("license.jpg", b"%PDF-1.4 a PDF named as a photo"),
        ("license.png", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_evidence_whose_content_is_not_what_its_name_says_is_refused_on_the_field(client, world, kinds, name, content):
    client.force_login(world.instructor)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client.post(
        url(world.learner, world.cohort),
        {"milestone_type": kinds["license"].pk, "achieved_on": "2026-11-03", "evidence": upload},
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["evidence"]
    assert error.startswith(f"This file is named .{name.rsplit('.', 1)[1]} but its content is not a ")
    assert not MilestoneAchievement.objects.filter(learner=world.learner).exists()


def test_the_refusal_of_a_renamed_file_is_in_the_instructors_language(client, world, kinds):
    client.force_login(world.instructor)
    client.cookies["django_language"] = "es"
    upload = SimpleUploadedFile("license.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")

    response = client.post(
        url(world.learner, world.cohort),
        {"milestone_type": kinds["license"].pk, "achieved_on": "2026-11-03", "evidence": upload},
    )

    assert response.context["form"].errors["evidence"] == [
        "Este archivo se llama .pdf pero su contenido no es un PDF. Suba la foto o el PDF mismos, no un archivo "
        "renombrado."
    ]


def test_a_phone_photo_in_heic_is_accepted(client, world, kinds):
    client.force_login(world.instructor)
    photo = b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix" + b"\x00" * 64  # a 10-bit HEIC's first box

    client.post(
        url(world.learner, world.cohort),
        {
            "milestone_type": kinds["license"].pk,
            "achieved_on": "2026-11-03",
            "evidence": SimpleUploadedFile("IMG_2041.HEIC", photo, "image/heic"),
        },
    )

    assert MilestoneAchievement.objects.get(learner=world.learner).evidence_name == "IMG_2041.HEIC"
