"""A learner's personal data erased (people.privacy): their certificates stop verifying, their PDFs go,
and the count of credentials issued stays what it was."""

import os

import pytest
from django.core.cache import cache

from credentials import services
from credentials.models import Credential
from people import privacy
from tests.builders import page_text

pytestmark = pytest.mark.django_db

FATIMA = "فاطمة الزهراء أحمد"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_an_erased_learners_certificate_is_revoked_nameless_and_its_file_deleted(
    client, world, django_capture_on_commit_callbacks
):
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    path = credential.pdf.path
    issued_before = Credential.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_learner(world.learner, by=world.manager)

    credential.refresh_from_db()
    assert credential.is_revoked and not credential.shown_publicly
    assert credential.name_as_printed == ""
    assert not os.path.exists(path)
    assert Credential.objects.count() == issued_before
    text = page_text(client.get(f"/verify/{credential.verification_code}/"))
    assert FATIMA not in text and "Fatima" not in text
    assert "This certificate is valid." not in text
