"""The cohort admin in Wagtail: cohorts (with their weekly meeting times), sessions, enrollments and
holidays, grouped under one "Cohorts" menu, plus the "Generate sessions" preview and confirm.

Who may do what is decided in one place: `PartnerScopedPermissionPolicy` asks people.access (program
managers and partner staff configure cohorts; partner staff only their own partner's rows). Every
view loads its objects through that policy, so another partner's row is a 404, never a form.
Writes with rules behind them go through cohorts.services: enrollment status changes (the
waitlist and seat lock), moving and cancelling sessions, generating the schedule, and filling
seats freed by a larger capacity.
"""

import hashlib

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.log_actions import log

from people import privacy
from people.access import can_configure_cohorts, users_who_configure_cohorts
from people.admin_views import (
    ALL_ACTIONS,
    ObjectActionView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedViewSet,
    partner_column,
    status_column,
)
from people.models import Learner
from people.panels import OwnChildrenInlinePanel
from people.permissions import PartnerScopedPolicy

from . import services
from .access import visible_cohorts
from .filters import CohortFilterSet, EnrollmentFilterSet, HolidayFilterSet, SessionFilterSet
from .forms.admin import (
    CohortForm,
    EnrollmentCreateForm,
    EnrollmentEditForm,
    HolidayForm,
    LearnerForm,
    SessionEditForm,
    SessionForm,
)
from .models import Attendance, Cohort, Enrollment, Holiday, Session

# --- who may do what ------------------------------------------------------------------------------


class PartnerScopedPermissionPolicy(PartnerScopedPolicy):
    """Rights over a cohort model in the admin, from the role rather than Django's model permissions.

    Program managers and partner staff may use every action (people.access.can_configure_cohorts);
    on a particular row, partner staff only when it belongs to their partner (`partner_field` is
    the lookup from the model to its partner). Deliberately not Django permissions: Wagtail's
    site-history report shows the audit entries of any model a user holds a Django permission on,
    across every partner, which would show one partner's learners to another partner's staff.
    """

    def __init__(self, model, *, partner_field):
        super().__init__(model, partner_field=partner_field)

    def user_has_permission(self, user, action):
        return action in ALL_ACTIONS and can_configure_cohorts(user)

    def user_has_any_permission(self, user, actions):
        return bool(ALL_ACTIONS.intersection(actions)) and can_configure_cohorts(user)

    def users_with_any_permission(self, actions):
        if not ALL_ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return users_who_configure_cohorts()

    def users_with_any_permission_for_instance(self, actions, instance):
        if not ALL_ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        rows = self.model._default_manager.filter(pk=instance.pk)
        return users_who_configure_cohorts(partner_id=rows.values_list(self.partner_field, flat=True).first())


cohort_policy = PartnerScopedPermissionPolicy(Cohort, partner_field="partner")
session_policy = PartnerScopedPermissionPolicy(Session, partner_field="cohort__partner")
enrollment_policy = PartnerScopedPermissionPolicy(Enrollment, partner_field="cohort__partner")
holiday_policy = PartnerScopedPermissionPolicy(Holiday, partner_field="partner")
POLICIES = {Cohort: cohort_policy, Session: session_policy, Enrollment: enrollment_policy, Holiday: holiday_policy}


# --- a service's refusal as a form error -----------------------------------------------------------------


class CohortErrorsAsFormErrors:
    """A refusal from cohorts.services (a full cohort, say) becomes an error on the form; nothing is saved."""

    service_error_fields = {"reason": "withdrawal_reason"}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.CohortError as error:
            error.add_to_form(form, fields=self.service_error_fields, default="status")
            self.produced_error_message = self.get_error_message()
            if getattr(self, "object", None) is not None and self.object.pk:
                self.object.refresh_from_db()
            return self.form_invalid(form)


# --- cohorts ------------------------------------------------------------------------------------------


def _seats_label(cohort):
    return f"{cohort.seats_taken} / {cohort.capacity}"


def _cohort_index_url(url_name, cohort):
    return f"{reverse(url_name)}?cohort={cohort.pk}"


class CohortIndexView(ScopedIndexView):
    sessions_index_url_name = None
    enrollments_index_url_name = None
    generate_url_name = None

    def get_base_queryset(self):
        holding = [Enrollment.Status.ACTIVE, Enrollment.Status.OFFERED]
        return (
            super()
            .get_base_queryset()
            .select_related("partner", "course")
            .annotate(
                seats_taken=Count("enrollments", filter=Q(enrollments__status__in=holding)),
                waitlisted=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons += [
            MenuItem(
                _("Generate sessions"),
                reverse(self.generate_url_name, args=[instance.pk]),
                icon_name="calendar-check",
                priority=15,
            ),
            MenuItem(
                _("Sessions"),
                _cohort_index_url(self.sessions_index_url_name, instance),
                icon_name="calendar-alt",
                priority=16,
            ),
            MenuItem(
                _("Enrollments"),
                _cohort_index_url(self.enrollments_index_url_name, instance),
                icon_name="clipboard-list",
                priority=17,
            ),
        ]
        return buttons


class CohortSaveMixin:
    """More seats than before go to the waitlist at once, through the enrollment service."""

    def save_instance(self):
        capacity_before = self.form.initial.get("capacity") if self.object and self.object.pk else None
        cohort = super().save_instance()
        if (
            capacity_before is not None
            and cohort.capacity > capacity_before
            and cohort.status in (Cohort.Status.PLANNED, Cohort.Status.RUNNING)
        ):
            admitted = services.fill_open_seats(cohort=cohort, by=self.request.user)
            if admitted:
                messages.info(
                    self.request,
                    ngettext(
                        "%(count)d person on the waitlist was given a seat.",
                        "%(count)d people on the waitlist were given a seat.",
                        len(admitted),
                    )
                    % {"count": len(admitted)},
                )
        return cohort


class CohortCreateView(CohortSaveMixin, ScopedCreateView):
    generate_url_name = None

    def get_success_buttons(self):
        return [messages.button(reverse(self.generate_url_name, args=[self.object.pk]), _("Generate sessions"))]

    def get_success_message(self, instance):
        return _("Cohort “%(cohort)s” created. Generate its sessions from the weekly pattern next.") % {
            "cohort": instance
        }


class CohortEditView(CohortSaveMixin, ScopedEditView):
    generate_url_name = None
    sessions_index_url_name = None
    enrollments_index_url_name = None

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Generate sessions"),
                url=reverse(self.generate_url_name, args=[self.object.pk]),
                icon_name="calendar-check",
            )
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Sessions"),
                url=_cohort_index_url(self.sessions_index_url_name, self.object),
                icon_name="calendar-alt",
                priority=5,
            ),
            Button(
                _("Enrollments"),
                url=_cohort_index_url(self.enrollments_index_url_name, self.object),
                icon_name="clipboard-list",
                priority=6,
            ),
        ]


class CohortDeleteView(ScopedDeleteView):
    def refusal(self):
        if self.object.enrollments.exists():
            return _(
                "This cohort has enrollments, so it cannot be deleted. Set its status to Cancelled instead; "
                "the learners' records stay."
            )
        if Attendance.objects.filter(session__cohort=self.object).exists():
            return _("Attendance was recorded in this cohort, so it cannot be deleted.")
        return None


def plan_fingerprint(plan):
    """What the preview showed, to notice a schedule that changed before the confirm."""
    shown = (plan.to_create, sorted(session.pk for session in plan.to_delete))
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


class GenerateSessionsView(ObjectActionView, TemplateView):
    """Preview what the weekly pattern and holidays would create and delete; confirm to do it."""

    model = Cohort
    permission_required = "change"
    context_object_name = "cohort"
    template_name = "cohorts/admin/generate_sessions.html"
    page_title = gettext_lazy("Generate sessions")
    header_icon = "calendar-check"
    sessions_index_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = kwargs.get("plan") or services.plan_schedule(cohort=self.object)
        today = self.object.local_today()
        context.update(
            plan=plan,
            today=today,
            past_to_create=sum(1 for day, _start, _end in plan.to_create if day < today),
            fingerprint=plan_fingerprint(plan),
            meeting_times=list(self.object.meeting_times.all()),
            changes=bool(plan.to_create or plan.to_delete),
            edit_url=self.object_url,
            sessions_url=_cohort_index_url(self.sessions_index_url_name, self.object),
        )
        return context

    def post(self, request, *args, **kwargs):
        plan = services.plan_schedule(cohort=self.object)
        if request.POST.get("fingerprint") != plan_fingerprint(plan):
            messages.warning(
                request,
                _("The schedule changed since this preview was drawn. Check the new preview and confirm again."),
            )
            return self.render_to_response(self.get_context_data(plan=plan))
        done = services.generate_sessions(cohort=self.object, by=request.user)
        messages.success(
            request,
            _("%(created)s, %(deleted)s.")
            % {
                "created": ngettext("%(count)d session created", "%(count)d sessions created", len(done.to_create))
                % {"count": len(done.to_create)},
                "deleted": ngettext("%(count)d session deleted", "%(count)d sessions deleted", len(done.to_delete))
                % {"count": len(done.to_delete)},
            },
        )
        return redirect(_cohort_index_url(self.sessions_index_url_name, self.object))


class CohortViewSet(ScopedViewSet):
    model = Cohort
    name = "cohort_admin"
    url_prefix = "cohorts"
    icon = "group"
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    base_form_class = CohortForm
    filterset_class = CohortFilterSet
    search_fields = ["name", "term", "location"]
    ordering = ["-start_date", "name"]
    list_display = [
        "name",
        Column("course", label=gettext_lazy("Course"), accessor="course.title", sort_key="course__title"),
        partner_column(),
        "term",
        Column("start_date", label=gettext_lazy("First day"), sort_key="start_date"),
        Column("end_date", label=gettext_lazy("Last day"), sort_key="end_date"),
        status_column(lambda cohort: cohort.status == Cohort.Status.RUNNING),
        Column("seats", label=gettext_lazy("Seats taken"), accessor=_seats_label, sort_key="seats_taken"),
        NumberColumn("waitlisted", label=gettext_lazy("Waitlist"), sort_key="waitlisted"),
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", heading=gettext_lazy("Name, in English")),
                FieldPanel("name_translations"),
                FieldPanel("course", widget=forms.Select),
                FieldPanel("partner"),
                FieldPanel("term", heading=gettext_lazy("Term, in English")),
                FieldPanel("term_translations"),
                FieldPanel("status"),
            ],
            heading=gettext_lazy("Cohort"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]), FieldPanel("time_zone")],
            heading=gettext_lazy("Dates"),
        ),
        OwnChildrenInlinePanel(
            "meeting_times",
            heading=gettext_lazy("Weekly meeting times"),
            label=gettext_lazy("Meeting time"),
            panels=[FieldRowPanel([FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")])],
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery"),
                FieldPanel("location"),
                FieldPanel("meeting_link"),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("instructors", widget=forms.CheckboxSelectMultiple),
            ],
            heading=gettext_lazy("Where and who"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("when_seat_frees"),
                FieldPanel("offer_hours"),
                FieldPanel("at_risk_after_absences"),
            ],
            heading=gettext_lazy("Seats and waitlist"),
        ),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            generate_url_name=self.get_url_name("generate_sessions"),
            sessions_index_url_name=SessionViewSet.name + ":index",
            enrollments_index_url_name=EnrollmentViewSet.name + ":index",
            **kwargs,
        )

    @property
    def generate_sessions_view(self):
        return self.construct_view(GenerateSessionsView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("generate-sessions/<int:pk>/", self.generate_sessions_view, name="generate_sessions"),
        ]


# --- sessions -------------------------------------------------------------------------------------------


def _time_range(session):
    return f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"


def _weekday(session):
    return date_format(session.date, "l")


class SessionIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super().get_base_queryset().select_related("cohort", "cohort__partner").annotate(marks=Count("attendance"))
        )


class SessionEditView(CohortErrorsAsFormErrors, ScopedEditView):
    """Moving and cancelling go through services.move_session / cancel_session (audited with what
    changed); restoring a cancelled session, which no service does, is saved and logged here."""

    MOVED = ("date", "start_time", "end_time", "topic")

    def save_instance(self):
        form, session, user = self.form, self.object, self.request.user
        data = form.cleaned_data
        changed = set(form.changed_data)
        if changed & set(self.MOVED):
            services.move_session(
                session=session,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                topic=data["topic"],
                by=user,
            )
        if "status" in changed and data["status"] == Session.Status.CANCELLED:
            services.cancel_session(session=session, reason=data["cancellation_reason"], by=user)
        elif changed & {"status", "cancellation_reason"}:
            fields = {"status": data["status"], "cancellation_reason": data["cancellation_reason"]}
            if data["status"] == Session.Status.SCHEDULED:
                fields["cancellation_reason"] = ""
            Session.objects.filter(pk=session.pk).update(**fields)
            log(Session.objects.get(pk=session.pk), "wagtail.edit", user=user, data={"changed": sorted(changed)})
        return Session.objects.select_related("cohort").get(pk=session.pk)


class SessionDeleteView(ScopedDeleteView):
    def refusal(self):
        if self.object.attendance.exists():
            return _("Attendance was recorded for this session, so it cannot be deleted. Cancel it instead.")
        return None


class SessionViewSet(ScopedViewSet):
    model = Session
    name = "session_admin"
    url_prefix = "sessions"
    icon = "calendar-alt"
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    filterset_class = SessionFilterSet
    search_fields = ["topic", "cohort__name"]
    ordering = ["-date", "-start_time"]
    list_display = [
        "date",
        Column("weekday", label=gettext_lazy("Day"), accessor=_weekday),
        Column("time", label=gettext_lazy("Time"), accessor=_time_range, sort_key="start_time"),
        Column("cohort", label=gettext_lazy("Cohort"), accessor="cohort.name", sort_key="cohort__name"),
        "topic",
        status_column(lambda session: session.status == Session.Status.SCHEDULED),
        NumberColumn("marks", label=gettext_lazy("Attendance marks"), sort_key="marks"),
    ]
    add_panels = [
        FieldPanel("cohort"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("topic"),
    ]
    add_form_class = SessionForm
    base_form_class = SessionEditForm
    panels = [
        FieldPanel("cohort", read_only=True),
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("topic"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("cancellation_reason")], heading=gettext_lazy("Cancel this session")
        ),
    ]


# --- enrollments ------------------------------------------------------------------------------------------


class EnrollmentIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "cohort", "cohort__partner")

    def order_queryset(self, queryset):
        """The waitlist, unless sorted by a column, in the order seats will be offered."""
        if self.request.GET.get("status") == Enrollment.Status.WAITLISTED and not self.request.GET.get("ordering"):
            return queryset.order_by("cohort__name", "waitlisted_at", "pk")
        return super().order_queryset(queryset)


class EnrollmentCreateView(CohortErrorsAsFormErrors, ScopedCreateView):
    """The enrollment service decides: a seat if one is free and nobody is waiting, else the waitlist."""

    service_error_fields = {None: "cohort"}

    def save_instance(self):
        data = self.form.cleaned_data
        return services.enroll(learner=data["learner"], cohort=data["cohort"], by=self.request.user)

    def get_success_message(self, instance):
        if instance.status == Enrollment.Status.ACTIVE:
            return _("%(name)s has a seat in %(cohort)s.") % {"name": instance.learner, "cohort": instance.cohort}
        return _("%(cohort)s is full: %(name)s is on the waitlist.") % {
            "name": instance.learner,
            "cohort": instance.cohort,
        }


class EnrollmentEditView(CohortErrorsAsFormErrors, ScopedEditView):
    """The status select offers only the changes a service makes (forms.admin.ENROLLMENT_CHANGES)."""

    def save_instance(self):
        form, user = self.form, self.request.user
        enrollment = Enrollment.objects.select_related("learner", "cohort").get(pk=self.object.pk)
        before, after = form.status_before, form.cleaned_data["status"]
        reason = (form.cleaned_data.get("withdrawal_reason") or "").strip()
        Status = Enrollment.Status
        if after == before:
            if before == Status.WITHDRAWN and "withdrawal_reason" in form.changed_data:
                Enrollment.objects.filter(pk=enrollment.pk).update(withdrawal_reason=reason)
                log(enrollment, "wagtail.edit", user=user, data={"changed": ["withdrawal_reason"]})
        elif after == Status.WITHDRAWN:
            services.withdraw(enrollment=enrollment, reason=reason, by=user)
        elif after == Status.COMPLETED:
            services.complete(enrollment=enrollment, by=user)
        elif before == Status.WITHDRAWN:
            services.enroll(
                learner=enrollment.learner,
                cohort=enrollment.cohort,
                by=user,
                waitlist_only=after == Status.WAITLISTED,
            )
        else:
            services.admit_from_waitlist(enrollment=enrollment, by=user)
        return Enrollment.objects.select_related("learner", "cohort").get(pk=enrollment.pk)

    def get_success_message(self):
        asked = self.form.cleaned_data["status"]
        if self.object.status != asked:
            return _("%(cohort)s is full: %(name)s is on the waitlist.") % {
                "name": self.object.learner,
                "cohort": self.object.cohort,
            }
        return super().get_success_message()


class EnrollmentDeleteView(ScopedDeleteView):
    """Only an enrollment made by mistake (no attendance) is deleted; its seat goes to the waitlist."""

    def refusal(self):
        if self.object.attendance.exists():
            return _(
                "Attendance was recorded for this enrollment, so it cannot be deleted. "
                "Change its status to Withdrawn instead."
            )
        return None

    def delete_action(self):
        cohort = self.object.cohort
        with transaction.atomic():
            super().delete_action()
            services.fill_open_seats(cohort=cohort, by=self.request.user)


class EnrollmentViewSet(ScopedViewSet):
    model = Enrollment
    name = "enrollment_admin"
    url_prefix = "enrollments"
    icon = "clipboard-list"
    index_view_class = EnrollmentIndexView
    add_view_class = EnrollmentCreateView
    edit_view_class = EnrollmentEditView
    delete_view_class = EnrollmentDeleteView
    filterset_class = EnrollmentFilterSet
    search_fields = ["learner__full_name", "learner__preferred_name", "learner__phone", "learner__email"]
    ordering = ["cohort__name", "status", "learner__full_name"]
    list_display = [
        "learner",
        Column("preferred_name", label=gettext_lazy("Preferred name"), accessor="learner.preferred_name"),
        Column("cohort", label=gettext_lazy("Cohort"), accessor="cohort.name", sort_key="cohort__name"),
        partner_column("cohort.partner"),
        status_column(lambda enrollment: enrollment.status == Enrollment.Status.ACTIVE),
        "enrolled_on",
        "waitlisted_at",
    ]
    add_panels = [FieldPanel("learner"), FieldPanel("cohort")]
    add_form_class = EnrollmentCreateForm
    base_form_class = EnrollmentEditForm
    panels = [
        FieldPanel("learner", read_only=True),
        FieldPanel("cohort", read_only=True),
        FieldPanel("status"),
        FieldPanel("withdrawal_reason"),
        MultiFieldPanel(
            [
                FieldPanel("waitlisted_at", read_only=True),
                FieldPanel("offer_expires_at", read_only=True),
                FieldPanel("enrolled_on", read_only=True),
                FieldPanel("completed_on", read_only=True),
                FieldPanel("withdrawn_on", read_only=True),
            ],
            heading=gettext_lazy("Dates"),
        ),
    ]


# --- holidays ---------------------------------------------------------------------------------------------


class HolidayIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner")


class HolidayViewSet(ScopedViewSet):
    model = Holiday
    index_view_class = HolidayIndexView
    name = "holiday_admin"
    url_prefix = "holidays"
    icon = "date"
    filterset_class = HolidayFilterSet
    search_fields = ["name"]
    ordering = ["-date"]
    list_display = [
        "name",
        "date",
        Column(
            "partner",
            label=gettext_lazy("Partner organization"),
            accessor=lambda holiday: holiday.partner.name if holiday.partner_id else _("Every partner"),
            sort_key="partner__name",
        ),
    ]
    base_form_class = HolidayForm
    panels = [FieldPanel("name"), FieldPanel("date"), FieldPanel("partner")]


# --- learners, and their data (export, erasure) -----------------------------------------------------------


learner_policy = PartnerScopedPermissionPolicy(Learner, partner_field="partner")
POLICIES[Learner] = learner_policy


class LearnerIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner")


class LearnerDataView(ObjectActionView, TemplateView):
    """A learner's own data: download it (managers and their partner's staff), or erase it (program
    managers only). Both are audited; see people.privacy."""

    model = Learner
    permission_required = "change"
    context_object_name = "learner"
    template_name = "cohorts/admin/learner_data.html"
    asks_password_again = True  # a data export or erasure wants the password typed recently (people.sessions)
    page_title = gettext_lazy("Personal data")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_erase=self.request.user.is_program_manager,
            confirm_word=self.confirm_word,
            **kwargs,
        )

    @property
    def confirm_word(self):
        return _("ERASE")

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "export":
                archive = privacy.export_learner(self.object, by=request.user)
                response = HttpResponse(archive, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="learner-{self.object.pk}-data.zip"'
                response["Cache-Control"] = "private, no-store"
                return response
            if action == "erase":
                if not request.user.is_program_manager:
                    raise PermissionDenied
                if request.POST.get("confirm", "").strip().upper() != self.confirm_word.upper():
                    messages.error(
                        request, _("Type %(word)s to confirm: erasing cannot be undone.") % {"word": self.confirm_word}
                    )
                    return self.render_to_response(self.get_context_data(), status=400)
                privacy.erase_learner(self.object, by=request.user)
                messages.success(
                    request, _("The learner's personal data was erased. Attendance and outcome figures are kept.")
                )
                return redirect(self.index_url_name)
        except privacy.PrivacyError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(), status=400)
        return self.render_to_response(self.get_context_data(), status=400)


class LearnerEditView(ScopedEditView):
    data_url_name = None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Personal data: export or erase"),
                url=reverse(self.data_url_name, args=[self.object.pk]),
                icon_name="lock",
            ),
        ]


class LearnerEnrollmentsPanel(Panel):
    """A learner's enrollments on their edit page, read-only, each leading to the enrollment: the cohorts the
    person editing may see (people.access), newest first."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cohorts/admin/panels/learner_enrollments.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["enrollments"] = (
                self.instance.enrollments.filter(cohort__in=visible_cohorts(self.request.user))
                .select_related("cohort")
                .order_by("-cohort__start_date", "cohort__name")
                if self.instance.pk
                else []
            )
            return context


class LearnerViewSet(ScopedViewSet):
    model = Learner
    name = "learner_admin"
    url_prefix = "learners"
    icon = "user"
    index_view_class = LearnerIndexView
    edit_view_class = LearnerEditView
    base_form_class = LearnerForm
    search_fields = ["full_name", "preferred_name", "email", "phone"]
    ordering = ["full_name"]
    list_filter = ["partner", "preferred_language"]
    list_display = [
        "full_name",
        "preferred_name",
        partner_column(),
        Column("preferred_language", label=gettext_lazy("Language"), accessor="get_preferred_language_display"),
    ]
    panels = [
        FieldPanel("full_name"),
        FieldPanel("name_latin"),
        FieldPanel("preferred_name"),
        FieldPanel("partner"),
        FieldPanel("preferred_language"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("consent_data"),
        FieldPanel("consent_contact"),
        LearnerEnrollmentsPanel(heading=gettext_lazy("Enrollments")),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(data_url_name=self.get_url_name("data"), **kwargs)

    @property
    def data_view(self):
        return self.construct_view(LearnerDataView)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("data/<int:pk>/", self.data_view, name="data")]


# --- the menu -----------------------------------------------------------------------------------------------


class CohortAdminGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Cohorts")
    menu_icon = "group"
    menu_order = 150
    items = (CohortViewSet, SessionViewSet, EnrollmentViewSet, LearnerViewSet, HolidayViewSet)
