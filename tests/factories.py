"""Factories by domain. Each builds the smallest valid object; tests say what matters to them."""

import factory

from people.models import Learner, Partner, Role, User

# The password every factory-made user signs in with (the demo data uses its own).
PASSWORD = "correct horse battery"


# --- people -------------------------------------------------------------------------------------


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A learner account by default; give staff their role with `people.services.assign_role`,
    which also keeps their admin groups in step."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.LEARNER
    password = factory.django.Password(PASSWORD)


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    partner = factory.SubFactory(PartnerFactory)
    full_name = factory.Sequence(lambda n: f"Learner {n}")
    consent_data = True
