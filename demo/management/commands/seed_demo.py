"""Load the demo organization: idempotent, so running it twice changes nothing."""

import datetime
import random
from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from cms.models import BrandingSettings, HomePage, StandardPage
from cohorts import services as cohort_services
from cohorts.models import Attendance, Cohort, Enrollment, Holiday, MeetingTime, Session
from courses.models import CoursePage, InstructionLanguage, ProgramIndexPage
from demo import content
from demo.credentials import seed_credentials
from demo.incentives import seed_incentives
from demo.translations import name_translations, term_translations, translate_pages
from people.models import Learner, Partner, User
from people.services import assign_role, ensure_role_groups
from people.two_factor import second_factor_required


def stream_value(model, field_name, raw):
    """Raw StreamField JSON as blocks, so every block down to list items is saved with an id:
    wagtail-localize addresses translatable segments by block id, and Wagtail keeps a lazy
    raw stream exactly as given (without ids) unless its blocks have been built."""
    value = model._meta.get_field(field_name).stream_block.to_python(raw)
    list(value)  # build the blocks
    return value


class Command(BaseCommand):
    help = "Create the demo organization (pages, courses, partners, demo logins). Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["large", "tenth"],
            help="Also seed a statewide network for load tests (demo/scale.py): large, or a tenth of it.",
        )

    def handle(self, *args, **options):
        if not settings.PATHWAYS_ALLOW_DEMO_DATA:
            raise CommandError("Demo data (with well-known passwords) is only allowed in dev and test settings.")
        with transaction.atomic():
            ensure_role_groups()
            locales = self.seed_locales()
            home = self.seed_site()
            self.seed_pages(home)
            self.seed_people()
            self.sync_translation_trees(locales)
            self.seed_cohorts()
            seed_incentives(self.stdout)
            seed_credentials(self.stdout)
        translate_pages(self.stdout)
        if options.get("scale"):
            from demo.scale import seed_statewide

            seed_statewide(self.stdout, scale=options["scale"])
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in README.md."))

    # --- cohorts, sessions, enrollments, attendance ------------------------------------------------

    def seed_cohorts(self):
        """Running cohorts with a schedule, a full class and a waitlist, and attendance so far.

        Everything is written through cohorts.services (schedule, cancellation, enrollment,
        attendance), and only when missing: a cohort seeded on an earlier day keeps its dates.
        """
        manager = User.objects.get(username="manager")
        for spec in content.COHORTS:
            staff = User.objects.get(username=f"staff.{spec['partner']}")
            cohort = self.cohort(spec)
            self.holidays(spec, cohort)
            cohort_services.generate_sessions(cohort=cohort, by=manager)
            self.cancel_one_session(spec, cohort, staff)
            self.session_today(spec, cohort)
            self.enroll(spec, cohort, staff)
            self.attendance(spec, cohort)
            self.completions(spec, cohort, staff)

    def cohort(self, spec):
        partner = Partner.objects.get(slug=spec["partner"])
        cohort = Cohort.objects.filter(partner=partner, name=spec["name"]).first()
        if cohort is not None:
            return cohort
        today = timezone.localdate()
        ended = spec.get("ended")
        first_day = today - datetime.timedelta(weeks=ended["started_weeks_ago"] if ended else 10)
        first_day -= datetime.timedelta(days=first_day.weekday())  # the Monday of that week
        last_day = today + datetime.timedelta(weeks=8)
        if ended:
            last_day = today - datetime.timedelta(weeks=ended["ended_weeks_ago"])
        cohort = Cohort(
            course=CoursePage.objects.get(slug=spec["course"], locale__language_code="en"),
            partner=partner,
            name=spec["name"],
            name_translations=name_translations(spec["name"]),
            term=term_name(first_day),
            term_translations=term_translations(term_name(first_day)),
            start_date=first_day,
            end_date=last_day,
            capacity=spec["capacity"],
            delivery=spec["delivery"],
            location=spec["location"],
            meeting_link=spec["meeting_link"],
            status=Cohort.Status.RUNNING,
        )
        cohort.full_clean()
        cohort.save()
        for weekday, starts, ends in spec["meeting_times"]:
            MeetingTime.objects.create(
                cohort=cohort,
                weekday=weekday,
                start_time=datetime.time.fromisoformat(starts),
                end_time=datetime.time.fromisoformat(ends),
            )
        cohort.instructors.add(User.objects.get(username=spec["instructor"]))
        cohort.languages.set(InstructionLanguage.objects.filter(code__in=spec["languages"]))
        return cohort

    def holidays(self, spec, cohort):
        for name, weeks, weekday, partner_only in spec["holidays"]:
            Holiday.objects.get_or_create(
                date=cohort.start_date + datetime.timedelta(weeks=weeks, days=weekday),
                partner=cohort.partner if partner_only else None,
                defaults={"name": name},
            )

    def cancel_one_session(self, spec, cohort, staff):
        if not spec["cancelled"]:
            return
        weeks, weekday, reason = spec["cancelled"]
        day = cohort.start_date + datetime.timedelta(weeks=weeks, days=weekday)
        session = cohort.sessions.filter(date=day).first()
        if session is not None and not session.is_cancelled and not session.attendance.exists():
            cohort_services.cancel_session(session=session, reason=reason, by=staff)

    def session_today(self, spec, cohort):
        """The demo instructor always has a class today, so attendance can be taken from `make run`."""
        today = cohort.local_today()
        if not cohort.start_date <= today <= cohort.end_date or cohort.sessions.filter(date=today).exists():
            return
        meeting = cohort.meeting_times.first()
        Session.objects.create(
            cohort=cohort,
            date=today,
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            topic=spec["topic_today"],
        )

    def enroll(self, spec, cohort, staff):
        """The partner's demo learners first, then the extra ones: the first fill the seats, the rest wait."""
        partner = cohort.partner
        learners = [
            Learner.objects.get(partner=partner, full_name=full_name)
            for full_name, _preferred, _language, partner_slug in content.LEARNERS
            if partner_slug == spec["partner"] and spec.get("partner_learners", True)
        ]
        for full_name, preferred_name, language in spec["extra_learners"]:
            learners.append(
                Learner.objects.get_or_create(
                    partner=partner,
                    full_name=full_name,
                    defaults={
                        "preferred_name": preferred_name,
                        "preferred_language": language,
                        "consent_data": True,
                        "consent_recorded_at": timezone.now(),
                    },
                )[0]
            )
        enrolled = set(cohort.enrollments.values_list("learner_id", flat=True))
        new = [
            cohort_services.enroll(learner=learner, cohort=cohort, by=staff).pk
            for learner in learners
            if learner.pk not in enrolled
        ]
        # They joined when the cohort began, not on the day the demo was loaded.
        Enrollment.objects.filter(pk__in=new, status=Enrollment.Status.ACTIVE).update(enrolled_on=cohort.start_date)

    def attendance(self, spec, cohort):
        """Marks for every held session before today that has none yet, as the instructor's roster.

        Mostly present, some late, a few excused or absent; the `at_risk` learners missed the last
        two sessions, and everyone else came to the last one, so exactly they are flagged.
        """
        instructor = cohort.instructors.order_by("pk").first()
        today = cohort.local_today()
        past = list(cohort.sessions.held().filter(date__lt=today).order_by("date", "start_time"))
        already_marked = set(
            Attendance.objects.filter(session__cohort=cohort).values_list("session_id", flat=True).distinct()
        )
        roster = list(cohort.enrollments.active().select_related("learner").order_by("pk"))
        last_two = {session.pk for session in past[-2:]}
        for session in past:
            if session.pk in already_marked:
                continue
            marks = []
            for enrollment in roster:
                name = enrollment.learner.full_name
                if name in spec["at_risk"] and session.pk in last_two:
                    marks.append(cohort_services.Mark(enrollment_id=enrollment.pk, status=Attendance.Status.ABSENT))
                    continue
                marks.append(demo_mark(enrollment, f"{cohort.name}|{session.date}|{name}", last=session == past[-1]))
            cohort_services.record_attendance(session=session, marks=marks, recorded_by=instructor)

    def completions(self, spec, cohort, staff):
        """A cohort that has ended: staff record each learner's completion on its last day (through
        cohorts.services, audited), all but those left for the demo; then the cohort is marked finished."""
        if not spec.get("ended") or cohort.status == Cohort.Status.FINISHED:
            return
        left_out = set(spec.get("completion_not_recorded", []))
        for enrollment in cohort.enrollments.active().select_related("learner").order_by("pk"):
            if enrollment.learner.full_name not in left_out:
                cohort_services.complete(enrollment=enrollment, by=staff, on=cohort.end_date)
        Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.FINISHED)

    def seed_locales(self):
        english = Locale.objects.get_or_create(language_code="en")[0]
        others = []
        for code, _name in settings.LANGUAGES:
            if code == "en":
                continue
            locale = Locale.objects.get_or_create(language_code=code)[0]
            LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": english})
            others.append(locale)
        return others

    def seed_site(self):
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(locale__language_code="en").first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder "Welcome" page holds the slug "home".
            for placeholder in root.get_children().filter(content_type__model="page"):
                if placeholder.get_children_count() == 0:
                    placeholder.delete()
            home = root.add_child(
                instance=HomePage(
                    title="Home",
                    slug="home",
                    heading="Learn English, train for a job, start a business",
                    intro="<p>Free classes for immigrants and refugees, close to home or online, with support in your language.</p>",
                    call_to_action_label="Find a course",
                )
            )
            home.save_revision().publish()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Pathways"
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
        if not branding.contact_email:
            branding.organization_name = "Pathways Learning Network"
            branding.contact_email = "hello@pathways.example"
            branding.contact_phone = "+1 555 010 2000"
            branding.address = "200 Main Street\nSpringfield"
            branding.save()
        return home

    def child(self, parent, model, slug, **fields):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
        return page

    def seed_pages(self, home):
        programs = self.child(
            home,
            ProgramIndexPage,
            "programs",
            title="Programs",
            show_in_menus=True,
            intro="<p>Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.</p>",
        )
        if home.call_to_action_id is None:
            home.call_to_action = programs
            home.save_revision().publish()
        self.child(
            home,
            StandardPage,
            "about",
            title="About us",
            show_in_menus=True,
            intro="We are a network of community organizations helping newcomers build a life here.",
            body=stream_value(
                StandardPage,
                "body",
                [
                    {
                        "type": "paragraph",
                        "value": "<p>Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.</p>",
                    }
                ],
            ),
        )
        for code, name, native_name in content.INSTRUCTION_LANGUAGES:
            InstructionLanguage.objects.get_or_create(code=code, defaults={"name": name, "native_name": native_name})
        for course in content.COURSES:
            if CoursePage.objects.child_of(programs).filter(slug=course["slug"]).exists():
                continue
            fields = {key: value for key, value in course.items() if key not in {"slug", "languages"}}
            fields["syllabus"] = stream_value(CoursePage, "syllabus", fields["syllabus"])
            page = programs.add_child(instance=CoursePage(slug=course["slug"], **fields))
            page.languages.set(InstructionLanguage.objects.filter(code__in=course["languages"]))
            page.save_revision().publish()

    def seed_people(self):
        partners = {}
        for partner in content.PARTNERS:
            partners[partner["slug"]] = Partner.objects.get_or_create(
                slug=partner["slug"], defaults={"name": partner["name"], "region": partner["region"]}
            )[0]
        for username, role, partner_slug, first_name, last_name in content.STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@pathways.example"},
            )
            if created:
                user.set_password(content.DEMO_PASSWORD)
                user.save()
                assign_role(user=user, role=role, partner=partners.get(partner_slug))
            self.enrol_demo_authenticator(user)
        for full_name, preferred_name, language, partner_slug in content.LEARNERS:
            Learner.objects.get_or_create(
                partner=partners[partner_slug],
                full_name=full_name,
                defaults={
                    "preferred_name": preferred_name,
                    "preferred_language": language,
                    "name_latin": content.LATIN_NAMES.get(full_name, ""),
                    "consent_data": True,
                    "consent_recorded_at": timezone.now(),
                },
            )
        username, full_name = content.LEARNER_LOGIN
        learner = Learner.objects.get(full_name=full_name)
        if learner.user_id is None:
            user = User.objects.create_user(
                username=username, password=content.DEMO_PASSWORD, first_name=learner.display_name
            )
            assign_role(user=user, role="learner")
            learner.user = user
            learner.save(update_fields=["user", "updated_at"])

    def enrol_demo_authenticator(self, user):
        """Demo staff who must confirm their sign-in get an authenticator app with the documented secret, unless
        they have one already (a tester who enrolled their own phone keeps it)."""
        if not second_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return
        key = b32decode(content.DEMO_TOTP_SECRET).hex()
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key, confirmed=True)

    def sync_translation_trees(self, locales):
        """Every page exists in every language (as an alias of the English page until translated)."""
        english = Locale.objects.get(language_code="en")
        for locale in locales:
            synchronize_tree(english, locale)


EXCUSES = ["Doctor's appointment", "Childcare", "Job interview", "Sick child", "Immigration appointment"]


def demo_mark(enrollment, seed, *, last):
    """A believable mark, the same on every run: about 80% present, 9% late, 5% excused, 6% absent."""
    rng = random.Random(seed)
    roll = rng.random()
    Status = Attendance.Status
    if roll < 0.80 or (last and roll >= 0.94):
        return cohort_services.Mark(enrollment_id=enrollment.pk, status=Status.PRESENT)
    if roll < 0.89:
        return cohort_services.Mark(enrollment_id=enrollment.pk, status=Status.LATE, minutes_late=rng.randint(5, 30))
    if roll < 0.94:
        return cohort_services.Mark(enrollment_id=enrollment.pk, status=Status.EXCUSED, note=rng.choice(EXCUSES))
    return cohort_services.Mark(enrollment_id=enrollment.pk, status=Status.ABSENT)


def term_name(first_day):
    """Fall 2026, Winter 2027...: the season a cohort starts in."""
    season = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}.get(first_day.month)
    season = season or ("Summer" if first_day.month <= 8 else "Fall")
    year = first_day.year + 1 if first_day.month == 12 else first_day.year
    return f"{season} {year}"
