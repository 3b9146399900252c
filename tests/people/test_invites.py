"""Portal invitations: staff create a learner's account and a one-time code; the learner chooses a password."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cohorts.models import Enrollment
from cohorts.services import enroll
from people.models import PortalInvite, Role, User
from people.services import INVITE_ALPHABET, hash_invite_code, invite_to_portal
from tests.cohorts.learner_world import ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import CohortFactory, LearnerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "river-lantern-42"


@pytest.fixture
def newcomer(world):
    """A learner in the instructor's cohort with no portal account yet."""
    learner = LearnerFactory(partner=world.partner, full_name="فاطمة الزهراء أحمد", preferred_name="Fatima")
    enroll(learner=learner, cohort=world.cohort, by=world.instructor)
    return learner


def issued_code(response):
    html = response.content.decode()
    match = re.search(r'class="setup-code">([A-Z0-9-]+)<', html)
    assert match, "the page shows the code"
    return match.group(1)


def setup(client, code, password=PASSWORD, again=None):
    return client.post(
        "/accounts/setup/", {"code": code, "new_password1": password, "new_password2": again or password}
    )


# --- who may invite --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_invite_page_by_role(client, world, newcomer, role):
    client_as(client, world, role)
    url = f"/accounts/invite/{newcomer.pk}/"
    get, post = client.get(url), client.post(url)
    allowed = role in ("instructor", "partner_staff", "manager")
    if role == "anonymous":
        assert get["Location"].startswith(f"/accounts/login/?next={url}")
        assert post["Location"].startswith("/accounts/login/")
    elif allowed:
        assert get.status_code == 200 and "Invite to the learner portal" in get.content.decode()
        assert post.status_code == 200
        issued_code(post)
    elif role in ("learner", "other_learner"):
        assert get.status_code == post.status_code == 403
    else:  # instructor of another cohort, staff of another partner: the learner does not exist for them
        assert get.status_code in (302, 404) and post.status_code in (302, 404)
        if get.status_code == 302:  # an unprefixed 404 is sent on to /en/..., itself a 404
            assert client.get(get["Location"]).status_code == 404
    newcomer.refresh_from_db()
    assert (newcomer.user is not None) == allowed
    assert PortalInvite.objects.filter(learner=newcomer).exists() == allowed


def test_a_learner_cannot_invite_even_themselves(client, world):
    client_as(client, world, "learner")
    assert client.post(f"/accounts/invite/{world.learner.pk}/").status_code == 403
    assert not PortalInvite.objects.exists()


# --- the invitation ------------------------------------------------------------------------------


def test_invite_creates_a_learner_account_and_a_code_to_print(client, world, newcomer):
    response = client_as(client, world, "partner_staff").post(f"/accounts/invite/{newcomer.pk}/")
    code = issued_code(response)
    plain = code.replace("-", "")
    assert len(plain) >= 8 and set(plain) <= set(INVITE_ALPHABET)
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.role == Role.LEARNER and not user.has_usable_password()
    assert re.fullmatch(r"[a-z0-9.]+", user.username)  # ASCII, from an Arabic preferred name's transliteration
    html = response.content.decode()
    assert user.username in html
    assert f"/accounts/setup/?code={plain}" in html
    invite = PortalInvite.objects.get()
    assert invite.expires_at - timezone.now() > datetime.timedelta(hours=71, minutes=59)
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_code_is_stored_only_as_a_hash(client, world, newcomer):
    response = client_as(client, world, "manager").post(f"/accounts/invite/{newcomer.pk}/")
    plain = issued_code(response).replace("-", "")
    invite = PortalInvite.objects.get()
    assert invite.code_hash == hash_invite_code(plain) and plain not in invite.code_hash
    dump = io.StringIO()
    call_command("dumpdata", "people", "wagtailcore.modellogentry", "sessions", stdout=dump)
    assert plain not in dump.getvalue()


def test_usernames_are_unique_for_learners_with_the_same_name(world):
    first = LearnerFactory(partner=world.partner, full_name="Ana Silva")
    second = LearnerFactory(partner=world.partner, full_name="Ana Silva")
    names = {invite_to_portal(learner=learner, by=world.manager).username for learner in (first, second)}
    assert names == {"ana.silva", "ana.silva2"}


def test_invitation_is_in_the_audit_log(client, world, newcomer):
    client_as(client, world, "instructor").post(f"/accounts/invite/{newcomer.pk}/")
    entry = ModelLogEntry.objects.get(action="people.portal.invite")
    assert entry.object_id == str(newcomer.pk) and entry.user == world.instructor
    assert entry.data["new_account"] is True


# --- setting up the account ---------------------------------------------------------------------


def test_code_sets_the_password_signs_in_and_works_only_once(client, world, newcomer):
    code = invite_to_portal(learner=newcomer, by=world.manager).code
    response = setup(client, code.lower())
    assert response["Location"] == "/learn/"
    page = client.get("/learn/").content.decode()
    assert "Your account is ready. Your username is" in page
    assert "Fatima" in page
    user = User.objects.get(learner=newcomer)
    assert user.check_password(PASSWORD)
    assert ModelLogEntry.objects.filter(action="people.portal.setup", user=user).exists()

    client.logout()
    again = setup(client, code, password="another-pass-99")
    assert "This code was already used." in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.login(username=user.username, password=PASSWORD)


def test_the_link_fills_in_the_code(client, world, newcomer):
    code = invite_to_portal(learner=newcomer, by=world.manager).code
    html = client.get(f"/accounts/setup/?code={code}").content.decode()
    assert f'value="{code}"' in html
    assert 'autocomplete="new-password"' in html


def test_expired_code_is_refused(client, world, newcomer):
    code = invite_to_portal(learner=newcomer, by=world.manager).code
    PortalInvite.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    html = setup(client, code).content.decode()
    assert "This code has expired. Ask the program for a new one." in html
    assert not User.objects.get(learner=newcomer).has_usable_password()


def test_wrong_code_is_refused(client, world, newcomer):
    invite_to_portal(learner=newcomer, by=world.manager)
    html = setup(client, "ACDE-FGHJ-KM").content.decode()
    assert "That code is not right. Check it and try again." in html


def test_reinviting_revokes_the_earlier_code(client, world, newcomer):
    first = invite_to_portal(learner=newcomer, by=world.manager)
    second = invite_to_portal(learner=newcomer, by=world.manager)
    assert second.username == first.username and not second.new_account
    assert User.objects.filter(role=Role.LEARNER, learner=newcomer).count() == 1
    html = setup(client, first.code).content.decode()
    assert "This code was replaced by a newer one." in html
    assert setup(client, second.code)["Location"] == "/learn/"


def test_passwords_are_checked_by_djangos_validators(client, world, newcomer):
    code = invite_to_portal(learner=newcomer, by=world.manager).code
    html = setup(client, code, password="12345678").content.decode()
    assert "This password is too common." in html
    html = setup(client, code, again="something-else-1").content.decode()
    assert "The two passwords are not the same." in html
    assert PortalInvite.objects.get().used_at is None  # the code still works


def test_wrong_codes_from_one_address_are_paused(client, world, newcomer):
    code = invite_to_portal(learner=newcomer, by=world.manager).code
    for _attempt in range(10):
        setup(client, "CCCC-CCCC-CC")
    response = setup(client, code)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many wrong codes were tried." in html
    assert "This code" not in html  # nothing said about the code itself while paused
    assert not User.objects.get(learner=newcomer).has_usable_password()


# --- email ------------------------------------------------------------------------------------------


def test_code_is_emailed_in_the_learners_language_when_they_agreed(world, django_capture_on_commit_callbacks):
    learner = LearnerFactory(
        partner=world.partner,
        full_name="Rosa Díaz",
        email="rosa@example.org",
        consent_contact=True,
        preferred_language="es",
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = invite_to_portal(learner=learner, by=world.partner_staff)
    assert issued.emailed
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    # Written in Spanish: dates use Spanish month names (Django ships those even before our texts are translated).
    spanish_months = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ]
    assert any(f" de {month} de " in message.body for month in spanish_months)
    assert f"/accounts/setup/?code={issued.code}" in message.body
    assert issued.username in message.body
    assert PortalInvite.objects.get().emailed_at is not None


def test_email_task_sends_once_and_never_for_a_replaced_code(world, django_capture_on_commit_callbacks):
    from people.tasks import send_portal_invite

    learner = LearnerFactory(partner=world.partner, email="rosa@example.org", consent_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = invite_to_portal(learner=learner, by=world.manager)
    send_portal_invite.delay(first.invite.pk, first.code)  # redelivered: already sent
    assert len(mail.outbox) == 1
    second = invite_to_portal(learner=learner, by=world.manager)
    send_portal_invite.delay(first.invite.pk, first.code)  # stale task for the replaced code
    send_portal_invite.delay(second.invite.pk, "WRONG-CODE")  # a code that does not match the hash
    assert len(mail.outbox) == 1


def test_no_email_without_consent_or_address(world, django_capture_on_commit_callbacks):
    no_consent = LearnerFactory(partner=world.partner, email="a@example.org", consent_contact=False)
    no_address = LearnerFactory(partner=world.partner, email="", consent_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        results = [invite_to_portal(learner=learner, by=world.manager) for learner in (no_consent, no_address)]
    assert not any(result.emailed for result in results)
    assert mail.outbox == []


# --- learners without an account lose nothing ------------------------------------------------------


def test_a_learner_without_an_account_is_enrolled_and_marked_as_usual(world):
    from cohorts.services import Mark, record_attendance
    from tests.factories_cohorts import SessionFactory

    learner = LearnerFactory(partner=world.partner)
    cohort = CohortFactory(partner=world.partner, instructors=[world.instructor])
    enrollment = enroll(learner=learner, cohort=cohort, by=world.instructor)
    assert enrollment.status == Enrollment.Status.ACTIVE
    # Enrolled before the class it is marked for (a roster lists only those enrolled on the session's date).
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_on=datetime.date(2026, 9, 1))
    session = SessionFactory(cohort=cohort, date=datetime.date(2026, 9, 7))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(2026, 9, 8, tzinfo=datetime.UTC))
        result = record_attendance(
            session=session, marks=[Mark(enrollment_id=enrollment.pk, status="present")], recorded_by=world.instructor
        )
    assert result.created == 1 and learner.user is None
