"""Milestones reached: the listing, recording one with its evidence, and a program manager's review (verify or
reject with a reason)."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.widgets.button import ListingButton

from people.admin_views import (
    ReasonFormView,
    ScopedCreateView,
    ScopedIndexView,
    ScopedInspectView,
    partner_column,
    person_name,
    status_column,
)

from .. import services
from ..filters import MilestoneAchievementFilterSet
from ..forms import MilestoneAchievementForm, RejectMilestoneForm
from ..models import MilestoneAchievement
from ..money import money
from .base import HistoryButtonMixin, IncentiveErrorsAsFormErrors, RecordViewSet, evidence_column
from .permissions import ProgramManagersOnly, visible

# --- milestone achievements ------------------------------------------------------------------------------------


class AchievementIndexView(HistoryButtonMixin, ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "learner__partner", "milestone_type")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == MilestoneAchievement.Status.RECORDED and self.permission_policy.user_has_permission(
            self.request.user, "decide"
        ):
            buttons.append(ListingButton(_("Review"), url=self.get_inspect_url(instance), icon_name="view", priority=5))
        return buttons


class RecordMilestoneView(IncentiveErrorsAsFormErrors, ScopedCreateView):
    page_title = gettext_lazy("Record a milestone")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.record_milestone(
            learner=data["learner"],
            milestone_type=data["milestone_type"],
            achieved_on=data["achieved_on"],
            amount=data.get("amount"),
            note=data.get("note") or "",
            evidence=data.get("evidence"),
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _("%(milestone)s recorded for %(name)s; a program manager will verify it.") % {
            "milestone": instance.milestone_type.name,
            "name": instance.learner.full_name,
        }

    def get_success_buttons(self):
        return []


class AchievementReviewView(ScopedInspectView):
    """Everything about one achievement, its evidence, and — for program managers — verify or reject."""

    template_name = "incentives/admin/achievement_review.html"
    page_title = gettext_lazy("Milestone")
    related = ("learner", "learner__partner", "milestone_type", "recorded_by", "verified_by")
    verify_url_name = None
    reject_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.fields = self.fields_that_apply()

    def fields_that_apply(self):
        """Only what applies: no empty note, no rejection reason unless rejected, no verifier until verified."""
        achievement = self.object
        hidden = set()
        if not achievement.note:
            hidden.add("note")
        if achievement.amount is None:
            hidden.add("amount")
        if achievement.status != MilestoneAchievement.Status.REJECTED:
            hidden.add("rejection_reason")
        if achievement.verified_by_id is None:
            hidden |= {"verified_by", "verified_at"}
        return [field for field in self.fields if field not in hidden]

    def get_amount_display_value(self):
        return money(self.object.amount)

    def get_recorded_by_display_value(self):
        return person_name(self.object.recorded_by)

    def get_verified_by_display_value(self):
        return person_name(self.object.verified_by)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        achievement = self.object
        context.update(
            achievement=achievement,
            can_decide=self.user_has_permission("decide"),
            evidence_url=reverse("incentives:achievement_evidence", args=[achievement.pk])
            if achievement.evidence
            else "",
            verify_url=reverse(self.verify_url_name, args=[achievement.pk]),
            reject_url=reverse(self.reject_url_name, args=[achievement.pk]),
            reject_form=kwargs.get("reject_form") or RejectMilestoneForm(),
        )
        return context


def _waiting_for_review(index_url_name):
    """The milestones listing, filtered to those still waiting for a program manager."""
    return f"{reverse(index_url_name)}?status={MilestoneAchievement.Status.RECORDED}"


class VerifyMilestoneView(ProgramManagersOnly, BaseObjectMixin, View):
    model = MilestoneAchievement
    index_url_name = None

    def get_base_object_queryset(self):
        return visible(MilestoneAchievement, self.request.user).select_related("learner", "milestone_type")

    def post(self, request, *args, **kwargs):
        achievement = services.verify_milestone(achievement=self.object, by=request.user)
        messages.success(
            request,
            _("%(milestone)s verified for %(name)s.")
            % {"milestone": achievement.milestone_type.name, "name": achievement.learner.full_name},
        )
        return redirect(_waiting_for_review(self.index_url_name))


class RejectMilestoneView(ProgramManagersOnly, ReasonFormView):
    """Rejected evidence says why (a reason is required), so the person who recorded it can fix it."""

    model = MilestoneAchievement
    related = ("learner", "milestone_type")
    context_object_name = "achievement"
    object_page = "inspect"
    form_class = RejectMilestoneForm
    service_error = services.IncentiveError
    template_name = "incentives/admin/reject_milestone.html"
    page_title = gettext_lazy("Reject milestone evidence")

    def get_page_subtitle(self):
        return f"{self.object.milestone_type.name} · {self.object.learner.full_name}"

    def act(self, reason):
        return services.reject_milestone(achievement=self.object, reason=reason, by=self.request.user)

    def done_message(self, achievement):
        return _("%(milestone)s for %(name)s rejected. The reason is shown with the record.") % {
            "milestone": achievement.milestone_type.name,
            "name": achievement.learner.full_name,
        }

    def done_url(self, achievement):
        return _waiting_for_review(self.index_url_name)


class MilestoneAchievementViewSet(RecordViewSet):
    model = MilestoneAchievement
    name = "milestone_achievement_admin"
    url_prefix = "milestones"
    icon = "success"
    menu_label = gettext_lazy("Milestones reached")
    index_view_class = AchievementIndexView
    add_view_class = RecordMilestoneView
    inspect_view_class = AchievementReviewView
    inspect_view_fields = [
        "learner",
        "milestone_type",
        "achieved_on",
        "amount",
        "note",
        "status",
        "rejection_reason",
        "recorded_by",
        "verified_by",
        "verified_at",
    ]
    filterset_class = MilestoneAchievementFilterSet
    ordering = ["-achieved_on", "learner__full_name"]
    list_display = [
        "learner",
        partner_column("learner.partner"),
        Column(
            "milestone_type",
            label=gettext_lazy("Milestone"),
            accessor="milestone_type.name",
            sort_key="milestone_type__name",
        ),
        "achieved_on",
        Column(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda row: money(row.amount) if row.amount is not None else "",
        ),
        evidence_column("incentives:achievement_evidence"),
        status_column(lambda row: row.status == MilestoneAchievement.Status.RECORDED),
    ]
    add_form_class = MilestoneAchievementForm
    add_panels = [
        FieldPanel("learner"),
        FieldPanel("milestone_type"),
        FieldRowPanel([FieldPanel("achieved_on"), FieldPanel("amount")]),
        FieldPanel("note"),
        FieldPanel("evidence"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            verify_url_name=self.get_url_name("verify"),
            reject_url_name=self.get_url_name("reject"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/<int:pk>/", self.construct_view(VerifyMilestoneView), name="verify"),
            path(
                "reject/<int:pk>/",
                self.construct_view(RejectMilestoneView),
                name="reject",
            ),
        ]
