"""Forms of the cohort admin (Wagtail). Each one offers only what the signed-in user manages:
their partner, its learners, cohorts and instructors (people.access decides), so a partner's
staff cannot even pick another partner's objects, and a forged choice is a form error."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage
from courses.selectors import courses_in_default_language
from people.access import limit_to_managed_partners, managed_partners
from people.models import Learner, Role

from ..models import Cohort, Enrollment


def _label_with_partner(show_partner):
    def label(obj):
        return f"{obj} · {obj.partner}" if show_partner else str(obj)

    return label


class ScopedAdminForm(WagtailAdminModelForm):
    """Base for the cohort admin forms: `for_user` (the signed-in user) comes from Wagtail's views."""

    def managed(self, queryset, partner_field="partner"):
        return limit_to_managed_partners(self.for_user, queryset, partner_field=partner_field)

    @property
    def manages_several_partners(self):
        return managed_partners(self.for_user).count() > 1

    def scope_partner_field(self, name="partner"):
        field = self.fields.get(name)
        if field is None:
            return
        field.queryset = managed_partners(self.for_user)
        if not self.manages_several_partners:
            # Their own partner is the only answer: preselect it instead of offering an empty choice.
            field.empty_label = None
            if not self.instance.pk:
                self.initial.setdefault(name, field.queryset.values_list("pk", flat=True).first())


class CohortForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_partner_field()
        several = self.manages_several_partners
        if "course" in self.fields:
            courses = courses_in_default_language()
            if self.instance.course_id:
                # A cohort made for a translated page stays editable.
                courses = courses | CoursePage.objects.filter(pk=self.instance.course_id)
            self.fields["course"].queryset = courses
        if "instructors" in self.fields:
            instructors = self.managed(
                get_user_model().objects.filter(role=Role.INSTRUCTOR, is_active=True).select_related("partner")
            ).order_by("first_name", "last_name", "username")
            if not self.is_bound and self.instance.partner_id:
                # Offer only who may teach this cohort; a posted form keeps the wider list, so a manager who
                # also changes the partner is told why an instructor no longer fits.
                instructors = instructors.filter(partner_id=self.instance.partner_id)
            self.fields["instructors"].queryset = instructors
            self.fields["instructors"].label_from_instance = lambda user: (
                f"{user.get_full_name() or user.username} · {user.partner}"
                if several
                else user.get_full_name() or user.username
            )

    def clean(self):
        cleaned_data = super().clean()
        partner = cleaned_data.get("partner")
        instructors = cleaned_data.get("instructors")
        if partner and instructors:
            elsewhere = [user for user in instructors if user.partner_id != partner.pk]
            if elsewhere:
                self.add_error(
                    "instructors",
                    ngettext(
                        "%(names)s teaches at another partner organization, not %(partner)s.",
                        "%(names)s teach at another partner organization, not %(partner)s.",
                        len(elsewhere),
                    )
                    % {
                        "names": ", ".join(user.get_full_name() or user.username for user in elsewhere),
                        "partner": partner,
                    },
                )
        return cleaned_data


class HolidayForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_partner_field()
        if not self.for_user.is_program_manager:
            # Only program managers set the holidays every partner observes.
            self.fields["partner"].required = True


class SessionForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cohort" in self.fields:
            self.fields["cohort"].queryset = self.managed(Cohort.objects.select_related("partner"), "partner").order_by(
                "-start_date", "name"
            )
            self.fields["cohort"].label_from_instance = _label_with_partner(self.manages_several_partners)


class EnrollmentCreateForm(ScopedAdminForm):
    """Learner and cohort only: where they land (a seat or the waitlist) is the enrollment service's decision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        several = self.manages_several_partners
        self.fields["cohort"].queryset = (
            self.managed(Cohort.objects.taking_enrollments().select_related("partner"))
        ).order_by("-start_date", "name")
        self.fields["cohort"].label_from_instance = _label_with_partner(several)
        self.fields["learner"].queryset = self.managed(Learner.objects.select_related("partner")).order_by("full_name")
        self.fields["learner"].label_from_instance = lambda learner: (
            f"{learner.full_name} · {learner.partner}" if several else learner.full_name
        )

    def _post_clean(self):
        """No model validation: this form never saves its instance. A learner already in the cohort
        is answered by the enrollment service (which also re-enrolls someone who had withdrawn),
        where Django's generic "already exists" would block that."""

    def clean(self):
        cleaned_data = super().clean()
        learner, cohort = cleaned_data.get("learner"), cleaned_data.get("cohort")
        if learner and cohort and learner.partner_id != cohort.partner_id:
            self.add_error("learner", _("This learner belongs to another partner organization."))
        return cleaned_data


# What the status field may be changed to from each status, each done by one service
# (see EnrollmentEditView.save_instance).
ENROLLMENT_CHANGES = {
    Enrollment.Status.WAITLISTED: [Enrollment.Status.ACTIVE, Enrollment.Status.WITHDRAWN],
    Enrollment.Status.OFFERED: [Enrollment.Status.ACTIVE, Enrollment.Status.WITHDRAWN],
    Enrollment.Status.ACTIVE: [Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN],
    Enrollment.Status.COMPLETED: [],
    Enrollment.Status.WITHDRAWN: [Enrollment.Status.ACTIVE, Enrollment.Status.WAITLISTED],
}


class EnrollmentEditForm(ScopedAdminForm):
    """Status is a choice among the changes the waitlist rules allow from where the learner is now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_before = self.instance.status
        allowed = [self.status_before, *ENROLLMENT_CHANGES.get(self.status_before, [])]
        self.fields["status"].choices = [
            (value, label) for value, label in Enrollment.Status.choices if value in allowed
        ]
        self.fields["status"].help_text = _(
            "Admitting someone needs a free seat. Withdrawing frees the seat for the first person on the waitlist."
        )
        self.fields["withdrawal_reason"].help_text = _("Needed when the learner withdraws.")

    @property
    def status_after(self):
        return self.cleaned_data.get("status", self.status_before)

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("status") == Enrollment.Status.WITHDRAWN
            and self.status_before != Enrollment.Status.WITHDRAWN
            and not (cleaned_data.get("withdrawal_reason") or "").strip()
        ):
            self.add_error("withdrawal_reason", _("Give a reason for withdrawing."))
        return cleaned_data


class SessionEditForm(SessionForm):
    """The model's own check (a cancelled session needs a reason) runs on this form."""


class LearnerForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_partner_field()
