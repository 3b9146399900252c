"""Repeated wrong passwords pause signing in (django-axes): a username at the address that failed, and an address
failing across many usernames; on our login page and on Wagtail's. Wrong passwords typed elsewhere never lock
the owner out of their own connection. A locked-out person gets a plain page in their language, never an
error, and a way back in (the password reset by email ends the pause)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from people.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
HOME = "203.0.113.7"  # the learner's phone
LIBRARY = "198.51.100.20"  # a library computer somebody else uses


@pytest.fixture
def amina(db):
    return UserFactory(username="amina", role=Role.LEARNER)


@pytest.fixture
def manager(db):
    from people.services import assign_role

    return assign_role(user=UserFactory(username="maya.manager"), role=Role.PROGRAM_MANAGER)


def attempt(client, username, password, *, address=HOME, url=LOGIN, **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, username, times, **kwargs):
    responses = [attempt(client, username, "not-my-password", **kwargs) for _ in range(times)]
    return responses[-1]


def signed_in(client):
    return client.session.get("_auth_user_id")


def text(response):
    return " ".join(response.content.decode().replace("\xa0", " ").split())


def test_the_limit_and_pause_come_from_the_environment_with_safe_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(hours=1)
    program = "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pathways.settings.test"}
    env.update(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="15")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {program}"],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["3", "0:15:00"], result.stderr


def test_four_wrong_passwords_still_let_the_right_one_in(client, amina):
    response = fail(client, "amina", 4)
    assert response.status_code == 200
    assert "Please enter a correct username and password." in text(response)

    response = attempt(client, "amina", PASSWORD)

    assert response.status_code == 302 and signed_in(client) == str(amina.pk)


def test_the_fifth_wrong_password_pauses_the_account_at_that_connection_even_for_the_right_password(client, amina):
    response = fail(client, "amina", 5)

    assert response.status_code == 429
    assert "Signing in is paused" in text(response)

    response = attempt(client, "amina", PASSWORD)
    assert response.status_code == 429 and signed_in(client) is None


def test_someone_elses_wrong_passwords_do_not_lock_the_manager_out_of_their_own_connection(client, manager):
    """Issue 16, finding 2: five wrong passwords for the manager from one address used to lock them out
    everywhere for an hour."""
    response = fail(client, "maya.manager", 5, address=LIBRARY)
    assert response.status_code == 429
    assert attempt(client, "maya.manager", PASSWORD, address=LIBRARY).status_code == 429

    response = attempt(client, "maya.manager", PASSWORD, address=HOME)

    assert response.status_code == 302 and signed_in(client) == str(manager.pk)


def test_wrong_passwords_for_many_accounts_from_one_connection_pause_that_connection(client, amina):
    assert settings.PATHWAYS_ADDRESS_FAILURE_LIMIT == 20
    # Nineteen guesses at nineteen usernames: a classroom's typos, still let through.
    for number in range(19):
        attempt(client, f"guess{number}", "123456", address=LIBRARY)
    assert attempt(client, "amina", "not-my-password", address=LIBRARY).status_code == 429

    # Amina failed once, this connection twenty times: her right password is refused here...
    response = attempt(client, "amina", PASSWORD, address=LIBRARY)
    assert response.status_code == 429 and signed_in(client) is None
    # ...and accepted from her own phone.
    response = attempt(client, "amina", PASSWORD, address=HOME)
    assert response.status_code == 302 and signed_in(client) == str(amina.pk)


def test_signing_in_clears_the_earlier_failures(client, amina):
    fail(client, "amina", 4)
    assert attempt(client, "amina", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    # Without the reset, these four would make eight failures and lock her out.
    response = fail(client, "amina", 4)
    assert response.status_code == 200

    assert attempt(client, "amina", PASSWORD).status_code == 302
    assert signed_in(client) == str(amina.pk)


def test_after_the_pause_the_right_password_works_again(client, amina):
    fail(client, "amina", 5)
    assert attempt(client, "amina", PASSWORD).status_code == 429

    an_hour_ago = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=an_hour_ago)

    response = attempt(client, "amina", PASSWORD)
    assert response.status_code == 302 and signed_in(client) == str(amina.pk)


def test_the_paused_page_says_what_happened_how_long_to_wait_and_what_to_do(client, amina):
    response = fail(client, "amina", 5)

    page = text(response)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Signing in is paused</h1>" in page
    assert "too many attempts to sign in with a wrong password" in page
    assert "Please try again in 1 hour." in page
    assert "Forgot your password?" in page and "/accounts/password-reset/" in page
    assert 'role="alert"' in page
    assert "Traceback" not in page and "amina" not in page  # nothing technical, no username echoed


def test_the_paused_page_is_in_the_visitors_language(client, amina):
    response = fail(client, "amina", 5, HTTP_ACCEPT_LANGUAGE="ar")

    page = text(response)
    assert response.status_code == 429
    assert '<html lang="ar" dir="rtl">' in page
    assert "ساعة" in page  # "1 hour", from Django's Arabic catalogue


def test_wagtail_admin_sign_in_is_paused_the_same_way(client, manager):
    for _ in range(4):
        response = attempt(client, "maya.manager", "wrong", url=ADMIN_LOGIN)
        assert response.status_code == 200

    response = attempt(client, "maya.manager", "wrong", url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert "Signing in is paused" in text(response)
    response = attempt(client, "maya.manager", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429 and signed_in(client) is None


def test_failures_on_both_login_pages_count_together(client, manager):
    fail(client, "maya.manager", 3)
    fail(client, "maya.manager", 1, url=ADMIN_LOGIN)

    response = attempt(client, "maya.manager", "wrong", url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert attempt(client, "maya.manager", PASSWORD).status_code == 429


def test_signing_in_to_ones_own_account_does_not_clear_an_addresss_guesses_at_others(client, amina):
    for number in range(19):
        attempt(client, f"guess{number}", "123456", address=LIBRARY)
    assert attempt(client, "amina", PASSWORD, address=LIBRARY).status_code == 302
    client.post("/accounts/logout/")

    response = attempt(client, "guess-twenty", "123456", address=LIBRARY)

    assert response.status_code == 429


def test_successful_sign_ins_leave_no_address_history(client, amina):
    from axes.models import AccessLog

    attempt(client, "amina", PASSWORD)

    assert signed_in(client) == str(amina.pk)
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0
