"""Fixtures for credential tests: the program world, and what is in private storage."""

from pathlib import Path

import pytest
from django.conf import settings

from credentials import services

from .world import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def credential(world):
    """The world's learner's certificate, issued by the manager."""
    return services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )


def certificate_files():
    """Every certificate file in private storage, as storage names."""
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    directory = root / "certificates"
    if not directory.exists():
        return set()
    return {str(path.relative_to(root)) for path in directory.rglob("*.pdf")}


@pytest.fixture
def new_files():
    """The certificate files written since the test began (private storage lasts the whole run, while each
    test's rows are rolled back), so a test compares the files with its own credentials."""
    before = certificate_files()
    return lambda: certificate_files() - before
