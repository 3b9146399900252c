# ruff: noqa: F811
"""A learner's data: exported as a zip (JSON + their files) and erased (anonymized, counts kept), from the
Learners admin (/admin/learners/data/<id>/). Both audited; only the right staff may do either."""

import datetime
import io
import json
import os
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance
from cohorts.selectors import attendance_rates
from courses.models import Track
from incentives import services as incentive_services
from incentives.models import MilestoneAchievement, MilestoneType, MonthlyBonus
from people import privacy
from people.models import Learner
from tests.incentives.admin_world import ROLES, World, signed_in
from tests.incentives.conftest import OCTOBER, clock  # noqa: F401 (the fixed clock fixture)

pytestmark = pytest.mark.django_db

FATIMA = "فاطمة الزهراء أحمد"


@pytest.fixture
def world(clock):
    world = World()
    world.compute()
    kind = MilestoneType.objects.create(slug="plan", name="Business plan", track=Track.ESOL, evidence_required=True)
    world.achievement = incentive_services.record_milestone(
        learner=world.learner,
        milestone_type=kind,
        achieved_on=datetime.date(2026, 10, 20),
        note="Fatima brought the plan on paper",
        evidence=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 Fatima's plan", content_type="application/pdf"),
        by=world.instructor,
    )
    return world


def data_url(learner):
    return f"/admin/learners/data/{learner.pk}/"


def figures(world):
    """What reports count: attendance marks, rates, the bonus ledger's money."""
    enrollment_ids = list(world.cohort.enrollments.values_list("pk", flat=True))
    return {
        "marks": Attendance.objects.filter(enrollment__cohort=world.cohort).count(),
        "rates": attendance_rates(enrollment_ids=enrollment_ids),
        "bonuses": sorted(MonthlyBonus.objects.values_list("learner_id", "amount", "status", "sessions_attended")),
        "milestones": MilestoneAchievement.objects.count(),
    }


# --- export -----------------------------------------------------------------------------------------------


def test_the_export_holds_the_learners_record_every_row_of_theirs_and_their_files(world):
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_learner(world.learner, by=world.manager)))

    document = json.loads(archive.read("learner.json"))
    assert document["learner"]["full_name"] == FATIMA
    assert len(document["records"]["cohorts.Attendance"]) == 8
    assert document["records"]["incentives.MonthlyBonus"][0]["amount"] == "200.00"
    assert document["records"]["incentives.MilestoneAchievement"][0]["note"] == "Fatima brought the plan on paper"
    [evidence] = [name for name in archive.namelist() if name.startswith("files/")]
    assert archive.read(evidence) == b"%PDF-1.4 Fatima's plan"
    # Nobody else's rows.
    assert "王秀英" not in archive.read("learner.json").decode()
    assert ModelLogEntry.objects.filter(action="people.learner.export", user=world.manager).count() == 1


def test_partner_staff_download_their_learners_data_from_the_admin(client, world):
    response = signed_in(client, world.partner_staff).post(data_url(world.learner), {"action": "export"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert FATIMA in zipfile.ZipFile(io.BytesIO(response.content)).read("learner.json").decode()


# --- erasure ----------------------------------------------------------------------------------------------


def test_erasure_removes_what_identifies_the_person_and_keeps_every_figure(world, django_capture_on_commit_callbacks):
    before = figures(world)
    evidence_path = world.achievement.evidence.path
    username = world.learner.user.username

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_learner(world.learner, by=world.manager)

    learner = Learner.objects.get(pk=world.learner.pk)
    assert learner.full_name == f"Erased learner {learner.pk}"
    assert (learner.preferred_name, learner.phone, learner.email, learner.user) == ("", "", "", None)
    assert learner.erased_at is not None
    assert authenticate(username=username, password="pathways-demo") is None
    achievement = MilestoneAchievement.objects.get(pk=world.achievement.pk)
    assert (achievement.note, achievement.evidence.name) == ("", "")
    assert not os.path.exists(evidence_path)
    assert not ModelLogEntry.objects.filter(label__contains=FATIMA).exists()
    assert not ModelLogEntry.objects.filter(label__contains="Fatima").exists()
    assert figures(world) == before
    # Computing the month again after erasure changes no money either.
    incentive_services.compute_month(month=OCTOBER)
    assert figures(world) == before
    assert ModelLogEntry.objects.filter(action="people.learner.erase", user=world.manager).count() == 1


def test_a_failed_erasure_changes_nothing_and_keeps_the_files(world, monkeypatch):
    evidence_path = world.achievement.evidence.path

    def broken(**kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(privacy.learner_erased, "send", broken)
    with pytest.raises(RuntimeError):
        privacy.erase_learner(world.learner, by=world.manager)

    assert Learner.objects.get(pk=world.learner.pk).full_name == FATIMA
    assert os.path.exists(evidence_path)


def test_the_manager_erases_from_the_admin_after_typing_the_confirmation(client, world):
    signed_in(client, world.manager)

    refused = client.post(data_url(world.learner), {"action": "erase", "confirm": "yes"})
    assert refused.status_code == 400
    assert Learner.objects.get(pk=world.learner.pk).full_name == FATIMA

    done = client.post(data_url(world.learner), {"action": "erase", "confirm": "erase"})
    assert done.status_code == 302
    assert Learner.objects.get(pk=world.learner.pk).erased_at is not None

    again = client.post(data_url(world.learner), {"action": "erase", "confirm": "ERASE"})
    assert again.status_code == 400
    exported = client.post(data_url(world.learner), {"action": "export"})
    assert exported.status_code == 400


def test_partner_staff_may_export_but_not_erase(client, world):
    response = signed_in(client, world.partner_staff).post(
        data_url(world.learner), {"action": "erase", "confirm": "ERASE"}
    )

    # Wagtail answers a refused admin action by sending the user to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Learner.objects.get(pk=world.learner.pk).erased_at is None


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_a_learners_data_page(client, world, role):
    response = signed_in(client, world.user(role)).get(data_url(world.learner))

    if role in ("partner_staff", "manager"):
        assert response.status_code == 200
        assert "Download data (zip)" in response.content.decode()
        assert ("Erase personal data" in response.content.decode()) == (role == "manager")
    elif role == "other_partner_staff":
        assert response.status_code == 404
    else:
        assert response.status_code in (302, 403)
    assert FATIMA not in response.content.decode() or role in ("partner_staff", "manager")


@pytest.mark.parametrize("role", ROLES)
def test_another_partners_learner_cannot_be_exported_or_erased_by_id(client, world, role):
    for action in ("export", "erase"):
        response = signed_in(client, world.user(role)).post(
            data_url(world.other_learner), {"action": action, "confirm": "ERASE"}
        )
        if role == "manager":
            continue
        if role == "other_partner_staff":
            assert response.status_code == (200 if action == "export" else 302)
        else:
            assert response.status_code in (302, 403, 404)
            assert b"Mar\xc3\xada" not in response.content
    if role != "manager":
        assert Learner.objects.get(pk=world.other_learner.pk).erased_at is None


def test_the_learner_list_shows_partner_staff_only_their_partners_learners(client, world):
    text = signed_in(client, world.partner_staff).get("/admin/learners/").content.decode()

    assert FATIMA in text and "王秀英" in text
    assert "María José Pérez" not in text


def test_the_learner_form_saves_a_name_in_any_script_and_refuses_a_bad_phone(client, world):
    signed_in(client, world.partner_staff)
    form = {
        "full_name": "Nguyễn Thị Hoa",
        "preferred_name": "Hoa",
        "partner": world.partner.pk,
        "preferred_language": "en",
        "phone": "call me",
        "email": "",
        "consent_data": "on",
    }

    refused = client.post(f"/admin/learners/edit/{world.second_learner.pk}/", form)
    saved = client.post(f"/admin/learners/edit/{world.second_learner.pk}/", {**form, "phone": "+1 555 010 2000"})

    assert refused.status_code == 200 and "phone" in refused.context["form"].errors
    assert saved.status_code == 302
    assert Learner.objects.get(pk=world.second_learner.pk).full_name == "Nguyễn Thị Hoa"
