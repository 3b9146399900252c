"""Filters for the bonus, savings and milestone listings. Every choice a filter offers comes from rows or
partners the user may see (people.access), so another partner's name never appears even in a drop-down."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.filters import ScopedFilterSet
from core.search import search_text
from people.access import managed_partners

from . import selectors
from .models import (
    BonusRule,
    Decision,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from .months import month_key, month_label, parse_month

LEARNER_SEARCH_FIELDS = ["learner__full_name", "learner__preferred_name"]


def search(queryset, query, fields=LEARNER_SEARCH_FIELDS):
    """The admin's search box, as Wagtail's listing applies it to a model without a search index."""
    query = search_text(query)
    if not query:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


def _partners(request):
    return managed_partners(request.user if request else None)


class MonthFilter(django_filters.ChoiceFilter):
    """A month as YYYY-MM, offering the months that have rows the user may see."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Month"))
        kwargs.setdefault("empty_label", _("Any month"))
        super().__init__(*args, method=self.filter_month, **kwargs)

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        return queryset.filter(month=month) if month else queryset.none()


def _month_choices(queryset):
    return [(month_key(month), month_label(month)) for month in selectors.months_with_rows(queryset)]


class MonthlyBonusFilterSet(ScopedFilterSet):
    month = MonthFilter()
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner")
    )
    status = django_filters.ChoiceFilter(choices=Decision.choices, label=_("Status"), empty_label=_("Any status"))
    rule = django_filters.ModelChoiceFilter(
        queryset=BonusRule.objects.all(), label=_("Rule"), empty_label=_("Any rule")
    )

    class Meta:
        model = MonthlyBonus
        fields = ["month", "partner", "status", "rule"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user if request else None
        self.filters["month"].extra["choices"] = _month_choices(selectors.bonuses_visible_to(user))


class SavingsDepositFilterSet(ScopedFilterSet):
    month = MonthFilter()
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner")
    )
    status = django_filters.ChoiceFilter(
        choices=[choice for choice in Decision.choices if choice[0] != Decision.NEEDS_ADJUSTMENT],
        label=_("Status"),
        empty_label=_("Any status"),
    )
    rule = django_filters.ModelChoiceFilter(
        queryset=SavingsMatchRule.objects.all(), label=_("Rule"), empty_label=_("Any rule")
    )

    class Meta:
        model = SavingsDeposit
        fields = ["month", "partner", "status", "rule"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user if request else None
        self.filters["month"].extra["choices"] = _month_choices(selectors.deposits_visible_to(user))


class MilestoneAchievementFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=MilestoneAchievement.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    milestone_type = django_filters.ModelChoiceFilter(
        queryset=MilestoneType.objects.all(), label=_("Milestone"), empty_label=_("Any milestone")
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="learner__partner",
        queryset=_partners,
        label=_("Partner organization"),
        empty_label=_("Any partner"),
    )

    class Meta:
        model = MilestoneAchievement
        fields = ["status", "milestone_type", "partner"]
