"""The rules and milestone types behind the money (program managers only): bonus rules, savings match rules,
milestone types; one with records behind it is kept, not deleted."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, NumberColumn

from people.admin_views import ScopedDeleteView, ScopedViewSet

from ..forms import BonusRuleForm
from ..models import BonusRule, MilestoneType, SavingsMatchRule
from ..money import money

# --- rules and milestone types (program managers) -------------------------------------------------------------


class InUseDeleteView(ScopedDeleteView):
    """A rule or type with money or achievements behind it is kept (their records point at it)."""

    in_use_message = None
    related_name = None

    def refusal(self):
        if getattr(self.object, self.related_name).exists():
            return self.in_use_message
        return None


class BonusRuleDeleteView(InUseDeleteView):
    related_name = "bonuses"
    in_use_message = gettext_lazy(
        "Bonuses were computed under this rule, so it cannot be deleted. Set “active until” to end it instead."
    )


class SavingsMatchRuleDeleteView(InUseDeleteView):
    related_name = "deposits"
    in_use_message = gettext_lazy(
        "Deposits were recorded under this rule, so it cannot be deleted. Set “active until” to end it instead."
    )


class MilestoneTypeDeleteView(InUseDeleteView):
    related_name = "achievements"
    in_use_message = gettext_lazy("Learners reached this milestone, so it cannot be deleted.")


class BonusRuleViewSet(ScopedViewSet):
    model = BonusRule
    name = "bonus_rule_admin"
    url_prefix = "bonus-rules"
    icon = "sliders"
    delete_view_class = BonusRuleDeleteView
    base_form_class = BonusRuleForm
    list_display = [
        "name",
        Column("tracks", label=gettext_lazy("Tracks"), accessor="tracks_display"),
        Column("amount", label=gettext_lazy("Amount"), accessor=lambda rule: money(rule.amount), sort_key="amount"),
        Column(
            "threshold", label=gettext_lazy("Attendance needed"), accessor=lambda rule: f"{rule.threshold_percent}%"
        ),
        NumberColumn("minimum_sessions", label=gettext_lazy("Sessions at least")),
        "active_from",
        "active_until",
    ]
    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("tracks"), FieldPanel("courses", widget=forms.CheckboxSelectMultiple)],
            heading=gettext_lazy("Who qualifies"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("amount"),
                FieldRowPanel([FieldPanel("threshold_percent"), FieldPanel("minimum_sessions")]),
                FieldPanel("late_counts_as_attended"),
                FieldPanel("excused_left_out"),
            ],
            heading=gettext_lazy("What earns it"),
        ),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")], heading=gettext_lazy("When it runs")),
    ]


class SavingsMatchRuleViewSet(ScopedViewSet):
    model = SavingsMatchRule
    name = "savings_match_rule_admin"
    url_prefix = "savings-match-rules"
    icon = "cog"
    delete_view_class = SavingsMatchRuleDeleteView
    list_display = [
        "name",
        Column("monthly_cap", label=gettext_lazy("Most in a month"), accessor=lambda rule: money(rule.monthly_cap)),
        Column(
            "total_cap",
            label=gettext_lazy("Most in total"),
            accessor=lambda rule: money(rule.total_cap) if rule.total_cap is not None else _("No limit"),
        ),
        "active_from",
        "active_until",
    ]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("monthly_cap"), FieldPanel("total_cap")]),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
    ]


class MilestoneTypeViewSet(ScopedViewSet):
    model = MilestoneType
    name = "milestone_type_admin"
    url_prefix = "milestone-types"
    icon = "list-ul"
    delete_view_class = MilestoneTypeDeleteView
    ordering = ["track", "sort_order", "name"]
    list_display = [
        "name",
        Column("track", label=gettext_lazy("Track"), accessor="get_track_display", sort_key="track"),
        "evidence_required",
        "carries_amount",
        "sort_order",
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("track"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("evidence_required"), FieldPanel("carries_amount")]),
        FieldPanel("sort_order"),
    ]
