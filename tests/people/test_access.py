"""Who may see what (people/access.py), the partner invariant on staff accounts, phone numbers, role groups."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.access import can_manage_partner, can_see_learner, visible_learners, visible_partners
from people.models import Learner, Role, User
from people.services import assign_role
from tests.factories import LearnerFactory, UserFactory
from tests.factories_cohorts import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(partner_a, partner_b, learner_a, learner_b):
    """Both partners with a learner each, plus a second learner of A who has no account."""
    return {"other_learner_a": LearnerFactory(partner=partner_a, full_name="Olga Petrenko")}


def names(queryset):
    return sorted(str(item) for item in queryset)


# --- visible_partners / visible_learners per role -----------------------------------------------


def test_manager_sees_every_partner_and_every_learner(everyone, manager):
    assert names(visible_partners(manager)) == ["Northside Refugee Center", "Unidos Community Services"]
    assert visible_learners(manager).count() == Learner.objects.count() == 3


def test_superuser_without_a_role_sees_everything(everyone):
    superuser = UserFactory(is_superuser=True, role=Role.LEARNER)

    assert visible_partners(superuser).count() == 2
    assert visible_learners(superuser).count() == 3


def test_partner_staff_sees_only_their_own_partner(everyone, staff_a):
    assert names(visible_partners(staff_a)) == ["Northside Refugee Center"]


def test_partner_staff_sees_their_partners_learners(everyone, staff_a, learner_a):
    assert names(visible_learners(staff_a)) == sorted(["Olga Petrenko", learner_a.full_name])


def test_partner_staff_cannot_see_other_partners_learners(everyone, staff_a, staff_b, learner_a, learner_b):
    assert learner_b not in visible_learners(staff_a)
    assert learner_a not in visible_learners(staff_b)
    assert names(visible_learners(staff_b)) == [learner_b.full_name]


def test_instructor_sees_only_their_own_partner(everyone, instructor_a):
    assert names(visible_partners(instructor_a)) == ["Northside Refugee Center"]


def test_instructor_without_cohorts_sees_no_learners(everyone, instructor_a):
    assert not visible_learners(instructor_a).exists()


def test_instructor_sees_only_the_learners_enrolled_in_cohorts_they_teach(everyone, instructor_a, learner_a):
    cohort = CohortFactory(partner=instructor_a.partner, instructors=[instructor_a])
    EnrollmentFactory(cohort=cohort, learner=learner_a)

    assert list(visible_learners(instructor_a)) == [learner_a]  # not Olga, who is at partner A too


def test_learner_sees_only_their_own_learner_record(everyone, learner_a):
    assert list(visible_learners(learner_a.user)) == [learner_a]


def test_learner_sees_only_their_own_partner(everyone, learner_a):
    assert names(visible_partners(learner_a.user)) == ["Northside Refugee Center"]


def test_learner_account_without_a_learner_record_sees_nothing(everyone):
    stray = UserFactory(role=Role.LEARNER)

    assert not visible_partners(stray).exists()
    assert not visible_learners(stray).exists()


def test_anonymous_visitor_sees_nothing(everyone):
    assert not visible_partners(AnonymousUser()).exists()
    assert not visible_learners(AnonymousUser()).exists()
    assert not visible_partners(None).exists()


def test_inactive_manager_sees_nothing(everyone, manager):
    manager.is_active = False
    manager.save()

    assert not visible_partners(manager).exists()
    assert not visible_learners(manager).exists()


def test_inactive_partner_staff_sees_nothing(everyone, staff_a):
    staff_a.is_active = False
    staff_a.save()

    assert not visible_partners(staff_a).exists()
    assert not visible_learners(staff_a).exists()


# --- can_see_learner / can_manage_partner -------------------------------------------------------

# (user fixture, learner fixture, expected)
CAN_SEE = [
    ("manager", "learner_a", True),
    ("manager", "learner_b", True),
    ("staff_a", "learner_a", True),
    ("staff_a", "learner_b", False),
    ("staff_b", "learner_a", False),
    ("instructor_a", "learner_a", False),  # teaches no cohort yet
    ("learner_a_user", "learner_a", True),
    ("learner_a_user", "learner_b", False),
    ("anonymous", "learner_a", False),
]


@pytest.fixture
def user_for(request, everyone):
    def user_for(name):
        if name == "anonymous":
            return AnonymousUser()
        if name == "learner_a_user":
            return request.getfixturevalue("learner_a").user
        return request.getfixturevalue(name)

    return user_for


@pytest.mark.parametrize(("who", "whom", "expected"), CAN_SEE)
def test_can_see_learner_per_role(request, user_for, who, whom, expected):
    assert can_see_learner(user_for(who), request.getfixturevalue(whom)) is expected


# (user fixture, partner fixture, expected)
CAN_MANAGE = [
    ("manager", "partner_a", True),
    ("manager", "partner_b", True),
    ("staff_a", "partner_a", True),
    ("staff_a", "partner_b", False),
    ("staff_b", "partner_a", False),
    ("instructor_a", "partner_a", False),  # instructors teach; they do not configure their partner
    ("learner_a_user", "partner_a", False),
    ("anonymous", "partner_a", False),
]


@pytest.mark.parametrize(("who", "partner", "expected"), CAN_MANAGE)
def test_can_manage_partner_per_role(request, user_for, who, partner, expected):
    assert can_manage_partner(user_for(who), request.getfixturevalue(partner)) is expected


def test_inactive_staff_can_neither_see_learners_nor_manage_their_partner(everyone, staff_a, partner_a, learner_a):
    staff_a.is_active = False
    staff_a.save()

    assert can_see_learner(staff_a, learner_a) is False
    assert can_manage_partner(staff_a, partner_a) is False


# --- the partner invariant ----------------------------------------------------------------------


def test_partner_staff_without_a_partner_fails_validation_on_the_partner_field():
    user = User(username="nobody", role=Role.PARTNER_STAFF, partner=None)

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert "partner" in error.value.message_dict
    assert "must belong to a partner organization" in error.value.message_dict["partner"][0]


def test_instructor_without_a_partner_fails_validation_on_the_partner_field():
    with pytest.raises(ValidationError) as error:
        User(username="nobody", role=Role.INSTRUCTOR).full_clean(exclude=["password"])

    assert "partner" in error.value.message_dict


def test_database_rejects_partner_staff_without_a_partner():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=Role.PARTNER_STAFF, partner=None)

    assert not User.objects.filter(username="nobody").exists()


def test_manager_needs_no_partner():
    User(username="boss", role=Role.PROGRAM_MANAGER, password="x").full_clean()  # raises if rejected


# --- phone numbers ------------------------------------------------------------------------------


def test_learner_phone_accepts_the_way_people_write_numbers(partner_a):
    learner = Learner(partner=partner_a, full_name="Hoa", phone="+1 (555) 010-2000")

    learner.full_clean()  # raises if rejected

    assert learner.phone == "+15550102000"  # stored in E.164 (core.phones)


@pytest.mark.parametrize(
    "phone, message",
    [
        (
            "12ab",
            "Enter a phone number, for example +1 555 010 2000. Numbers without a country code are read as +1 numbers.",
        ),
        ("123", "This phone number has too few digits for +1. Check it, or start with + and the country code."),
    ],
)
def test_learner_phone_rejects_letters_and_too_few_digits_with_a_clear_message(partner_a, phone, message):
    learner = Learner(partner=partner_a, full_name="Hoa", phone=phone)

    with pytest.raises(ValidationError) as error:
        learner.full_clean()

    assert error.value.message_dict["phone"] == [message]


# --- role groups --------------------------------------------------------------------------------


def group_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_assign_role_puts_a_manager_in_the_program_managers_group():
    user = assign_role(user=UserFactory(), role=Role.PROGRAM_MANAGER)

    assert group_names(user) == ["Program managers"]
    assert User.objects.get(pk=user.pk).role == Role.PROGRAM_MANAGER


def test_moving_a_manager_to_partner_staff_removes_the_managers_group(partner_a):
    user = assign_role(user=UserFactory(), role=Role.PROGRAM_MANAGER)

    assign_role(user=user, role=Role.PARTNER_STAFF, partner=partner_a)

    user.refresh_from_db()
    assert group_names(user) == ["Partner staff"]
    assert user.role == Role.PARTNER_STAFF and user.partner == partner_a


def test_assign_role_to_instructor_or_learner_leaves_no_admin_group(partner_a):
    user = assign_role(user=UserFactory(), role=Role.PARTNER_STAFF, partner=partner_a)

    assign_role(user=user, role=Role.INSTRUCTOR, partner=partner_a)
    assert group_names(user) == []

    assign_role(user=user, role=Role.LEARNER, partner=partner_a)
    user.refresh_from_db()
    assert group_names(user) == [] and user.partner is None  # learners belong to no partner as staff


def test_assign_role_refuses_partner_staff_without_a_partner():
    user = UserFactory()

    with pytest.raises(ValidationError):
        assign_role(user=user, role=Role.PARTNER_STAFF, partner=None)

    user.refresh_from_db()
    assert user.role == Role.LEARNER and group_names(user) == []
