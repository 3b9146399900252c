"""Phone numbers (core.phones): read in any country's way of writing them, stored as E.164, and compared as
E.164 when deciding that two records are the same person — not by their last ten digits."""

import datetime
import io
from contextlib import redirect_stdout

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from cohorts.models import Cohort, Enrollment
from cohorts.services import AlreadyListed, join_waitlist
from core.phones import display_phone, normalize_phone, same_phone, validate_phone
from people.models import Learner
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, LearnerFactory

# As people write them, and as they are stored.
NUMBERS = {
    "Somalia": ("+252 61 512 3456", "+252615123456"),
    "Afghanistan": ("+93 70 123 4567", "+93701234567"),
    "Haiti": ("+509 34 12 3456", "+50934123456"),
    "United States": ("(555) 010-2000", "+15550102000"),
    "United States, with +1": ("+1 555.010.2000", "+15550102000"),
    "United Kingdom": ("+44 20 7946 0958", "+442079460958"),
}


@pytest.mark.parametrize("written, stored", NUMBERS.values(), ids=NUMBERS.keys())
def test_numbers_from_many_countries_are_stored_in_e164(written, stored):
    validate_phone(written)
    assert normalize_phone(written) == stored


@pytest.mark.parametrize(
    "written, message",
    [
        ("call me", "Enter a phone number, for example +1 555 010 2000."),
        ("555 0100", "This phone number has too few digits for +1."),
        ("+252 61 512 3456 789 99", "This phone number has too many digits for +252."),
        ("+999 123 456 789", "The country code of this phone number is not known."),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_with_what_to_fix(written, message):
    with pytest.raises(ValidationError) as error:
        validate_phone(written)
    assert error.value.messages[0].startswith(message)


def test_a_somali_number_is_not_the_us_number_with_the_same_last_ten_digits():
    # The old rule (last ten digits: 2615123456 in both) took these two people for one.
    assert not same_phone("+252 61 512 3456", "(261) 512-3456")
    assert same_phone("+1 (261) 512-3456", "261.512.3456")


def test_a_number_written_the_local_way_matches_the_same_number_with_its_country_code(settings):
    # A program in Kabul: the old rule missed these (last ten digits 0701234567 and 3701234567).
    settings.PATHWAYS_PHONE_REGION = "AF"
    assert normalize_phone("070 123 4567") == "+93701234567"
    assert same_phone("070 123 4567", "+93 70 123 4567")
    # A program in Port-au-Prince: eight digits locally, which the old rule compared only when all were equal.
    settings.PATHWAYS_PHONE_REGION = "HT"
    assert same_phone("3412 3456", "+509 34 12 3456")
    assert not same_phone("3412 3456", "+1 555 010 2000")


# --- where it decides something a user notices ------------------------------------------------------------


@pytest.fixture
def cohort(db):
    return CohortFactory(
        name="Evening English",
        start_date=datetime.date.today() + datetime.timedelta(days=10),
        end_date=datetime.date.today() + datetime.timedelta(days=100),
        status=Cohort.Status.PLANNED,
    )


def join(cohort, phone):
    return join_waitlist(
        cohort=cohort, full_name="Hodan Abdi", phone=phone, preferred_language="en", consent_contact=True
    )


@pytest.mark.django_db
def test_a_somali_number_can_join_a_list_that_has_a_us_number_with_the_same_last_ten_digits(cohort):
    listed = LearnerFactory(partner=cohort.partner, phone="(261) 512-3456")
    EnrollmentFactory(cohort=cohort, learner=listed, status=Enrollment.Status.WAITLISTED, enrolled_on=None)

    enrollment = join(cohort, "+252 61 512 3456")

    assert enrollment.status == Enrollment.Status.WAITLISTED
    assert Learner.objects.get(pk=enrollment.learner_id).phone == "+252615123456"


@pytest.mark.django_db
def test_every_save_stores_e164_whichever_way_the_record_was_written(cohort):
    learner = LearnerFactory(partner=cohort.partner, phone="+509 34 12 3456")
    Learner.objects.filter(pk=learner.pk).update(preferred_name="Jean")

    assert Learner.objects.get(pk=learner.pk).phone == "+50934123456"
    assert Learner.objects.filter(phone="+509 3412-3456").get() == learner  # a lookup reads the number the same way


@pytest.mark.django_db
def test_the_same_number_written_another_way_is_already_on_the_list(cohort, settings):
    settings.PATHWAYS_PHONE_REGION = "AF"
    listed = LearnerFactory(partner=cohort.partner, phone="+93 70 123 4567")
    EnrollmentFactory(cohort=cohort, learner=listed, status=Enrollment.Status.WAITLISTED, enrolled_on=None)

    with pytest.raises(AlreadyListed):
        join(cohort, "070 123 4567")
    assert Learner.objects.count() == 1


@pytest.mark.django_db
def test_the_migration_stores_readable_numbers_in_e164_and_leaves_the_rest_as_they_were():
    migration = __import__("people.migrations.0006_learner_phone_e164", fromlist=["normalize_stored_phones"])
    written = ["(555) 010-2000", "+252 61 512 3456", "+15550102000", "call the office", ""]
    learners = [LearnerFactory() for _phone in written]
    with connection.cursor() as cursor:  # as typed, as saved before this change (the model now saves E.164)
        for learner, phone in zip(learners, written, strict=True):
            cursor.execute(f"UPDATE {Learner._meta.db_table} SET phone = %s WHERE id = %s", [phone, learner.pk])

    output = io.StringIO()
    with redirect_stdout(output):
        migration.normalize_stored_phones(apps, None)

    stored = [Learner.objects.get(pk=learner.pk).phone for learner in learners]
    assert stored == ["+15550102000", "+252615123456", "+15550102000", "call the office", ""]
    assert "2 rewritten in E.164; 1 could not be read" in output.getvalue()


def test_the_sites_contact_phone_is_checked_like_every_phone_number():
    from cms.models import BrandingSettings

    field = BrandingSettings._meta.get_field("contact_phone")
    assert field.clean("+1 555 010 2000", None) == "+1 555 010 2000"  # shown on the site as written
    with pytest.raises(ValidationError):
        field.clean("call the office", None)


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("+252615123456", "+252 61 512 3456"),
        ("+50934123456", "+509 34 12 3456"),
        ("+15550102000", "+1 555-010-2000"),
        ("call the office", "call the office"),  # saved before numbers were checked
    ],
)
def test_a_stored_number_is_shown_with_its_country_code_the_way_people_read_it(stored, shown):
    assert display_phone(stored) == shown
