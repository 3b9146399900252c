"""Filters for the credentials and batches listings. Every choice a filter offers comes from cohorts or
partners the user may see (people.access), so another partner's name never appears even in a drop-down."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cohorts.filters import ScopedFilterSet
from people.access import managed_partners

from .models import BulkIssuance, Credential, CredentialPathway
from .selectors import cohorts_for_issuing


def _partners(request):
    return managed_partners(request.user if request else None)


def _cohorts(request):
    return cohorts_for_issuing(request.user if request else None)


class CredentialFilterSet(ScopedFilterSet):
    pathway = django_filters.ModelChoiceFilter(
        queryset=CredentialPathway.objects.all(), label=_("Credential"), empty_label=_("Any credential")
    )
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts, label=_("Cohort"), empty_label=_("Any cohort"))
    status = django_filters.ChoiceFilter(
        choices=Credential.Status.choices, label=_("Status"), empty_label=_("Valid or revoked")
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="learner__partner", queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner")
    )

    class Meta:
        model = Credential
        fields = ["pathway", "cohort", "status", "partner"]


class BatchFilterSet(ScopedFilterSet):
    pathway = django_filters.ModelChoiceFilter(
        queryset=CredentialPathway.objects.all(), label=_("Credential"), empty_label=_("Any credential")
    )
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts, label=_("Cohort"), empty_label=_("Any cohort"))
    status = django_filters.ChoiceFilter(
        choices=BulkIssuance.Status.choices, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = BulkIssuance
        fields = ["pathway", "cohort", "status"]
