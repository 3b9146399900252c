"""Demo bonuses and milestones: the program's training-bonus and savings-match rules, the entrepreneurship
milestones, a few milestones reached, a savings deposit waiting for approval, and the month before last
computed, approved and paid — with one bonus whose attendance was corrected afterwards, so the demo manager
meets an adjustment to resolve. Last month is left for the demo manager to compute from the admin.

Idempotent like the rest of the demo: what exists is left alone, and every write goes through
incentives.services (so it is audited) only when it is missing.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import Attendance, Enrollment
from courses.models import Track
from incentives import services
from incentives.models import (
    BonusRule,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from people.models import Learner, User

# slug, name, description, evidence required, carries an amount
MILESTONE_TYPES = [
    ("business-plan", "Business plan", "A written plan reviewed with the business coach.", True, False),
    ("business-license", "Business license", "The city or county business license.", True, False),
    (
        "professional-license",
        "Professional license",
        "A state license for the trade (cosmetology, contracting...).",
        True,
        False,
    ),
    ("seed-grant-applied", "SEED grant applied", "The state SEED grant application was submitted.", False, False),
    ("seed-grant-awarded", "SEED grant awarded", "The award letter, with the amount ($5,000 or $10,000).", True, True),
    (
        "bank-account-opened",
        "Bank account opened",
        "A business or savings bank account in the learner's name.",
        False,
        False,
    ),
]

# learner's full name, milestone slug, days ago, verified?, recorded by (username)
ACHIEVEMENTS = [
    ("Abdul Rahman Karimi", "business-plan", 40, True, "instructor.northside"),
    ("Abdul Rahman Karimi", "bank-account-opened", 25, True, "instructor.northside"),
    ("Hodan Cabdi Warsame", "business-license", 9, False, "manager"),
    ("Nguyễn Thị Hoa", "seed-grant-applied", 12, False, "staff.northside"),
]


def seed_incentives(stdout):
    manager = User.objects.get(username="manager")
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    BonusRule.objects.get_or_create(
        name="Training bonus",
        defaults={
            "tracks": [Track.ESOL, Track.JOB_TRAINING],
            "amount": Decimal("200.00"),
            "threshold_percent": Decimal("75.00"),
            "minimum_sessions": 4,
            "active_from": a_year_ago,
        },
    )
    savings_rule, _created = SavingsMatchRule.objects.get_or_create(
        name="Household savings match",
        defaults={"monthly_cap": Decimal("100.00"), "total_cap": Decimal("1200.00"), "active_from": a_year_ago},
    )
    for order, (slug, name, description, evidence_required, carries_amount) in enumerate(MILESTONE_TYPES):
        MilestoneType.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "track": Track.ENTREPRENEURSHIP,
                "description": description,
                "evidence_required": evidence_required,
                "carries_amount": carries_amount,
                "sort_order": order,
            },
        )
    seed_achievements(manager)
    seed_savings_deposit(savings_rule)
    seed_paid_month(manager)
    stdout.write("Bonus rules, milestones and a paid month ready.")


def seed_achievements(manager):
    for full_name, slug, days_ago, verified, recorded_by in ACHIEVEMENTS:
        learner = Learner.objects.get(full_name=full_name)
        milestone_type = MilestoneType.objects.get(slug=slug)
        if MilestoneAchievement.objects.filter(learner=learner, milestone_type=milestone_type).exists():
            continue
        achievement = services.record_milestone(
            learner=learner,
            milestone_type=milestone_type,
            achieved_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            evidence=evidence_image(f"{milestone_type.name}.png", milestone_type.name)
            if milestone_type.evidence_required
            else None,
            note="Seen in person at the coaching session." if verified else "",
            by=User.objects.get(username=recorded_by),
        )
        if verified:
            services.verify_milestone(achievement=achievement, by=manager)


def seed_savings_deposit(rule):
    """The demo learner reported a deposit last month; the match waits for the manager's approval."""
    learner = Learner.objects.get(full_name="فاطمة الزهراء أحمد")
    if SavingsDeposit.objects.filter(learner=learner).exists():
        return
    services.record_savings_deposit(
        learner=learner,
        rule=rule,
        month=services.previous_month(),
        deposit=Decimal("150.00"),
        evidence=evidence_image("bank-statement.png", "Savings deposit $150.00"),
        by=User.objects.get(username="staff.northside"),
    )


def seed_paid_month(manager):
    """The month before last: computed, approved and paid; then one paid learner's absence was found to
    have been mis-marked, so that bonus waits as "needs adjustment" for the manager to resolve."""
    month = services.previous_month(services.previous_month())
    if MonthlyBonus.objects.filter(month=month).exists():
        return
    services.compute_month(month=month, by=manager)
    eligible = list(MonthlyBonus.objects.filter(month=month, status="eligible").values_list("pk", flat=True))
    services.approve_bonuses(bonus_ids=eligible, by=manager)
    paid = services.mark_bonuses_paid(bonus_ids=eligible, by=manager)
    if not paid:
        return
    corrected = min(paid, key=lambda bonus: bonus.learner.full_name)
    mark = (
        Attendance.objects.filter(
            enrollment__learner_id=corrected.learner_id,
            session__date__range=services.month_bounds(month),
            status=Attendance.Status.PRESENT,
        )
        .select_related("session", "enrollment")
        .order_by("session__date")
        .first()
    )
    if mark is None:
        return
    instructor = mark.session.cohort.instructors.order_by("pk").first() or manager
    cohort_services.record_attendance(
        session=mark.session,
        marks=[
            cohort_services.Mark(
                enrollment_id=mark.enrollment_id,
                status=Attendance.Status.ABSENT,
                note="Corrected from the sign-in sheet.",
                expected=Attendance.Status.PRESENT,
            )
        ],
        recorded_by=instructor,
    )
    # The edit also queues this recompute for after the commit; running it now makes the demo the same
    # whether or not that queue runs (tests roll the seed back instead of committing it).
    learner_ids = list(Enrollment.objects.filter(pk=mark.enrollment_id).values_list("learner_id", flat=True))
    services.compute_month(month=month, learner_ids=learner_ids, by=manager)


def evidence_image(filename, title):
    """A small PNG standing in for a photographed document."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([(12, 12), (627, 347)], outline="#1d4e89", width=4)
    draw.text((40, 40), "DEMO DOCUMENT - NOT REAL", fill="#b00020")
    draw.text((40, 120), title, fill="black")
    draw.text((40, 160), "Issued to the learner (name on file)", fill="black")
    draw.text((40, 300), timezone.localdate().isoformat(), fill="#555555")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return SimpleUploadedFile(filename, output.getvalue(), content_type="image/png")
