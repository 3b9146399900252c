"""Unprefixed app URLs answer 404 themselves; unknown paths still go to the visitor's language."""

import pytest

from people.models import Role
from tests.factories_cohorts import UserFactory


@pytest.mark.django_db
def test_a_missing_object_under_an_app_url_is_a_plain_404_not_a_redirect(client):
    client.force_login(UserFactory(role=Role.PROGRAM_MANAGER))
    response = client.get("/accounts/invite/999999/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_unknown_path_is_sent_to_the_language_prefixed_site(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 302 and response["Location"] == "/en/no-such-page/"
