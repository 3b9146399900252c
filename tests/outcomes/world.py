"""A small program whose outcome figures are known by hand (worked out in the comments below).

The clock stands on Monday 16 November 2026, 10:00 in New York. Two partners, three cohorts:

Northside "Evening English" (ESOL, Arabic, Fall 2026, from 7 September), Mondays and Thursdays 18:00–20:00:
  1, 5, 8, 15, 19 October held (2 h each); 12 October was marked and then cancelled (counts for no one);
  tonight (16 November, not started yet) and 19 November are still to come.
    Amina   active                     P P L A E   (and P at the cancelled class)
    Bashir  completed 20 October       P P P P P   (and P at the cancelled class)
    Chen    withdrew 21 September (14 days in: not retained)
    Dawit   withdrew 16 October (39 days in: retained)   P A A A (1, 5, 8, 15 October)
    Esra    on the waitlist
    Farah   left the waitlist without ever taking a seat (not served)
Northside "Warehouse Skills" (job training, Spanish, from 1 October), 6 and 13 October 09:00–12:00 (3 h):
    Amina   active again (one person, two cohorts)   P P
    Gul     active since 2 November (not four weeks yet)
Unidos "Citizenship English" (ESOL, Spanish, from 7 September), 7 October 18:00–20:00:
    María   active   P
    Nadia   offered a seat

Milestones (verified unless said): Amina business license 10 Oct; Bashir SEED grant $5,000 20 Oct; María SEED
grant $10,000 2 Nov; Dawit business license 11 Oct only recorded (not verified).
Credentials: Bashir 21 Oct (Evening English); Amina 22 Oct, revoked; María 3 Nov (Citizenship English).
Bonuses: Amina October paid $200 and September paid then flagged for adjustment ($200); Bashir October approved
$200; Dawit October eligible (undecided); María October paid $200.

For the program manager over the default period (7 September 2026, the first day a cohort ran, to today):
  people served 6 (Amina, Bashir, Chen, Dawit, Gul, María) · active 3 (Amina, Gul, María) · waiting 2
  sessions held 8 · instruction hours 18 · marks present 11, late 1, absent 4, excused 1 → attendance 12/16 = 75%
  learner-hours 9×2 + 2×3 + 1×2 = 26
  retention: first day on or before 19 October: Amina×2, Bashir, Chen, Dawit, María = 6, Chen left early → 5/6
  completion 1 / (1 + 2) · credentials 2 · business licenses 1, SEED grants 2 ($15,000)
  bonuses paid 3 ($600), approved 1 ($200)
"""

import datetime
from decimal import Decimal

from cohorts.models import Cohort, Enrollment, Session
from cohorts.services import Mark, cancel_session, record_attendance
from courses.models import InstructionLanguage, Track
from incentives.models import BonusRule, Decision, MilestoneAchievement, MonthlyBonus
from people.models import Learner, Role
from people.services import assign_role
from tests.builders import TwoPartners, cohort_on, milestone_type, reached
from tests.factories_cohorts import CohortFactory, PartnerFactory, UserFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # Monday, 10:00 in New York
SEPTEMBER_7 = datetime.date(2026, 9, 7)
OCTOBER = datetime.date(2026, 10, 1)


def day(month, number):
    return datetime.date(2026, month, number)


class World(TwoPartners):
    def __init__(self):
        super().__init__()
        self.northside, self.unidos = self.partner, self.other_partner
        self.arabic = InstructionLanguage.objects.create(code="ar", name="Arabic", native_name="العربية")
        self.spanish = InstructionLanguage.objects.create(code="es", name="Spanish", native_name="Español")

        self.esol = self.cohort(
            self.northside, Track.ESOL, "Evening English", SEPTEMBER_7, self.arabic, instructor=self.instructor
        )
        self.job = self.cohort(self.northside, Track.JOB_TRAINING, "Warehouse Skills", day(10, 1), self.spanish)
        self.other_job = self.cohort(self.northside, Track.JOB_TRAINING, "Forklift Mornings", day(10, 1), self.spanish)
        self.other_job.instructors.add(self.other_instructor)
        self.unidos_esol = self.cohort(self.unidos, Track.ESOL, "Citizenship English", SEPTEMBER_7, self.spanish)

        esol_days = [
            day(10, 1),
            day(10, 5),
            day(10, 8),
            day(10, 12),
            day(10, 15),
            day(10, 19),
            day(11, 16),
            day(11, 19),
        ]
        self.esol_sessions = self.sessions(self.esol, esol_days, datetime.time(18), datetime.time(20))
        self.job_sessions = self.sessions(self.job, [day(10, 6), day(10, 13)], datetime.time(9), datetime.time(12))
        self.unidos_sessions = self.sessions(self.unidos_esol, [day(10, 7)], datetime.time(18), datetime.time(20))

        self.amina = self.learner(self.northside, "Amina Yusuf")
        self.bashir = self.learner(self.northside, "Bashir Ahmadi")
        self.chen = self.learner(self.northside, "Chen Wei")
        self.dawit = self.learner(self.northside, "Dawit Bekele")
        self.esra = self.learner(self.northside, "Esra Demir")
        self.farah = self.learner(self.northside, "Farah Haddad")
        self.gul = self.learner(self.northside, "Gul Ahmadzai")
        self.maria = self.learner(self.unidos, "María José Pérez")
        self.nadia = self.learner(self.unidos, "Nadia Rahimi")
        self.amina.user = assign_role(user=UserFactory(username="amina"), role=Role.LEARNER)
        self.amina.save()

        amina_esol = self.enroll(self.esol, self.amina)
        bashir = self.enroll(self.esol, self.bashir)
        chen = self.enroll(self.esol, self.chen)
        dawit = self.enroll(self.esol, self.dawit)
        self.enroll(self.esol, self.esra, status=Enrollment.Status.WAITLISTED, enrolled_on=None)
        self.enroll(self.esol, self.farah, status=Enrollment.Status.WAITLISTED, enrolled_on=None)
        amina_job = self.enroll(self.job, self.amina, enrolled_on=day(10, 1))
        self.enroll(self.job, self.gul, enrolled_on=day(11, 2))
        maria = self.enroll(self.unidos_esol, self.maria)
        self.enroll(self.unidos_esol, self.nadia, status=Enrollment.Status.OFFERED, enrolled_on=None)

        oct1, oct5, oct8, oct12, oct15, oct19 = self.esol_sessions[:6]
        marks = {
            oct1: {amina_esol: "present", bashir: "present", dawit: "present"},
            oct5: {amina_esol: "present", bashir: "present", dawit: "absent"},
            oct8: {amina_esol: "late", bashir: "present", dawit: "absent"},
            oct12: {amina_esol: "present", bashir: "present"},
            oct15: {amina_esol: "absent", bashir: "present", dawit: "absent"},
            oct19: {amina_esol: "excused", bashir: "present"},
            self.job_sessions[0]: {amina_job: "present"},
            self.job_sessions[1]: {amina_job: "present"},
            self.unidos_sessions[0]: {maria: "present"},
        }
        for session, by_enrollment in marks.items():
            record_attendance(
                session=session,
                marks=[
                    Mark(enrollment_id=enrollment.pk, status=status, minutes_late=10 if status == "late" else None)
                    for enrollment, status in by_enrollment.items()
                ],
                recorded_by=self.instructor,
            )
        cancel_session(session=oct12, reason="Snow day", by=self.manager)

        # Where they stand now (set directly: the services date these "today").
        Enrollment.objects.filter(pk=bashir.pk).update(status=Enrollment.Status.COMPLETED, completed_on=day(10, 20))
        Enrollment.objects.filter(pk=chen.pk).update(
            status=Enrollment.Status.WITHDRAWN, withdrawn_on=day(9, 21), withdrawal_reason="Moved away"
        )
        Enrollment.objects.filter(pk=dawit.pk).update(
            status=Enrollment.Status.WITHDRAWN, withdrawn_on=day(10, 16), withdrawal_reason="Found a job"
        )
        Enrollment.objects.filter(learner=self.farah).update(
            status=Enrollment.Status.WITHDRAWN, withdrawn_on=day(9, 30), withdrawal_reason="No longer interested"
        )

        self.license = milestone_type("Business license")
        self.grant = milestone_type("SEED grant awarded", carries_amount=True, sort_order=5)
        reached(self.amina, self.license, day=day(10, 10))
        reached(self.bashir, self.grant, day=day(10, 20), amount=Decimal("5000"))
        reached(self.maria, self.grant, day=day(11, 2), amount=Decimal("10000"))
        reached(self.dawit, self.license, MilestoneAchievement.Status.RECORDED, day=day(10, 11))

        self.credentials = {}
        self.credential(self.bashir, self.esol, day(10, 21))
        self.credential(self.amina, self.esol, day(10, 22), revoked=True)
        self.credential(self.maria, self.unidos_esol, day(11, 3))

        rule = BonusRule.objects.create(name="Training bonus", tracks=[Track.ESOL], active_from=day(1, 1))
        self.bonus(rule, self.amina, OCTOBER, Decision.PAID)
        self.bonus(rule, self.amina, day(9, 1), Decision.NEEDS_ADJUSTMENT, decided_status=Decision.PAID)
        self.bonus(rule, self.bashir, OCTOBER, Decision.APPROVED)
        self.bonus(rule, self.dawit, OCTOBER, Decision.ELIGIBLE)
        self.bonus(rule, self.maria, OCTOBER, Decision.PAID)

    # --- builders ------------------------------------------------------------------------------------------

    def cohort(self, partner, track, name, start, language, *, instructor=None, time_zone="America/New_York"):
        cohort = cohort_on(
            track,
            partner=partner,
            name=name,
            term="Fall 2026",
            start_date=start,
            end_date=day(12, 18),
            time_zone=time_zone,
            status=Cohort.Status.RUNNING,
        )
        cohort.languages.add(language)
        if instructor:
            cohort.instructors.add(instructor)
        return cohort

    def sessions(self, cohort, days, start, end):
        return [Session.objects.create(cohort=cohort, date=date, start_time=start, end_time=end) for date in days]

    def learner(self, partner, name):
        return Learner.objects.create(partner=partner, full_name=name, consent_data=True)

    def enroll(self, cohort, learner, *, status=Enrollment.Status.ACTIVE, enrolled_on=SEPTEMBER_7):
        waitlisted_at = NOW if status in (Enrollment.Status.WAITLISTED, Enrollment.Status.OFFERED) else None
        return Enrollment.objects.create(
            cohort=cohort, learner=learner, status=status, enrolled_on=enrolled_on, waitlisted_at=waitlisted_at
        )

    def credential(self, learner, cohort, issued_on, *, revoked=False):
        from credentials.models import CertificateTemplate, Credential, CredentialPathway

        pathway = CredentialPathway.objects.filter(name="ESOL Level 1").first() or CredentialPathway.objects.create(
            name="ESOL Level 1",
            tracks=[Track.ESOL],
            template=CertificateTemplate.objects.create(name="Standard", title="Certificate", body="{learner_name}"),
        )
        credential = Credential.objects.create(
            learner=learner,
            pathway=pathway,
            cohort=cohort,
            partner=cohort.partner,
            name_as_printed=learner.full_name,
            title_as_printed=pathway.name,
            issuer_as_printed=cohort.partner.name,
            issued_on=issued_on,
            verification_code=f"{learner.pk:028d}",
            pdf="certificates/test.pdf",
            status=Credential.Status.REVOKED if revoked else Credential.Status.ISSUED,
            revoked_at=NOW if revoked else None,
            revoked_reason="Issued by mistake" if revoked else "",
        )
        self.credentials[learner.full_name] = credential
        return credential

    def bonus(self, rule, learner, month, status, *, decided_status=""):
        return MonthlyBonus.objects.create(
            learner=learner,
            partner=learner.partner,
            rule=rule,
            month=month,
            amount=Decimal("200.00"),
            status=status,
            decided_status=decided_status,
        )

    def user(self, role):
        return self.amina.user if role == "learner" else super().user(role)


# --- for the query-count tests -------------------------------------------------------------------------

FILTER_SETS = [
    {},
    {"start": "", "end": ""},
    {"track": Track.ESOL, "language": "ar", "term": "Fall 2026"},
    {"partner": "{northside}", "course": "{course}", "start": "2026-10-01", "end": "2026-10-31"},
    {"cohort": "{cohort}"},
]


def more_of_everything(world):
    """Double the program: another partner's cohort with sessions, learners and marks."""
    partner = PartnerFactory(name="Third Partner", slug="third")
    cohort = CohortFactory(partner=partner, course=world.esol.course, name="Third cohort", start_date=day(9, 7))
    sessions = [
        Session.objects.create(
            cohort=cohort, date=day(10, number), start_time=datetime.time(9), end_time=datetime.time(11)
        )
        for number in (2, 9, 16)
    ]
    enrollments = [world.enroll(cohort, world.learner(partner, f"Extra {number}")) for number in range(30)]
    for session in sessions:
        record_attendance(
            session=session,
            marks=[Mark(enrollment_id=enrollment.pk, status="present") for enrollment in enrollments],
            recorded_by=world.manager,
        )
