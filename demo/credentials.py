"""Demo credentials: certificate templates worded for what each pathway certifies (completion or achievement, in
English and Arabic), each partner's own director to sign its certificates (a printed name over a line: no made-up
signature image), the program's credential pathways, and certificates of completion already issued in the Unidos
citizenship class that has ended — one of them revoked — so the verification page has both states to show. The
rest of that class and the Northside evening class (an achievement) are left for the demo manager to issue in
bulk from the admin; the running Unidos morning class is held back until it ends.

Idempotent like the rest of the demo: what exists is left alone, and every certificate is issued and revoked
through credentials.services (so it is audited and its PDF stored) only when it is missing.
"""

from decimal import Decimal

from wagtail.models import Locale

from cohorts.models import Cohort
from courses.models import CoursePage, Track
from credentials import services
from credentials.eligibility import cohort_eligibility
from credentials.models import CertificateTemplate, Credential, CredentialPathway
from demo.translations import name_translations
from incentives.models import MilestoneType
from people.models import Partner, PartnerSignatory, User

# Two templates, worded for what each pathway certifies: a certificate of completion says the learner completed
# the course (issued only after the cohort ended); a certificate of achievement says what they reached so far,
# over the weeks up to the day it is issued ({end_date} is then the day of issue, never a future last day).
TEMPLATE_NAME = "Pathways certificate"
ENGLISH = {
    "title": "Certificate of Completion",
    "body": (
        "This certifies that {learner_name} completed {pathway} at {partner}, "
        "attending {hours} hours of classes from {start_date} to {end_date}."
    ),
}
ARABIC = {
    "title": "شهادة إتمام",
    "body": "نشهد بأن {learner_name} قد أتمّ برنامج {pathway} لدى {partner}، بحضور {hours} ساعة من {start_date} إلى {end_date}.",
    "second_language_title": "Certificate of Completion",
}
ACHIEVEMENT_TEMPLATE_NAME = "Pathways certificate of achievement"
ACHIEVEMENT_ENGLISH = {
    "title": "Certificate of Achievement",
    "body": (
        "This certifies that {learner_name} reached {pathway} at {partner}, "
        "attending {hours} hours of classes from {start_date} to {end_date}."
    ),
}
ACHIEVEMENT_ARABIC = {
    "title": "شهادة إنجاز",
    "body": "نشهد بأن {learner_name} قد بلغ {pathway} لدى {partner}، بحضور {hours} ساعة من {start_date} إلى {end_date}.",
    "second_language_title": "Certificate of Achievement",
}
# Who signs each partner's certificates: its own director, never another organization's.
DIRECTORS = {
    "northside": ("Samira Haddad", "Executive Director"),
    "unidos": ("Rosa Delgado", "Executive Director"),
    "horn-of-africa": ("Tesfaye Alemu", "Executive Director"),
}

COMPLETION, ACHIEVEMENT = CredentialPathway.Certifies.COMPLETION, CredentialPathway.Certifies.ACHIEVEMENT

# name, description, tracks, course slugs, attendance %, hours, milestone slugs, what it certifies
PATHWAYS = [
    (
        "English for Everyday Life — Level 1",
        "Everyday English: appointments, shopping, school and work conversations.",
        [],
        ["english-for-everyday-life"],
        Decimal("85"),
        Decimal("30"),
        [],
        ACHIEVEMENT,
    ),
    (
        "Citizenship Preparation",
        "Civics, history and the interview in English, ready for the naturalization test.",
        [],
        ["citizenship-preparation"],
        Decimal("80"),
        Decimal("16"),
        [],
        COMPLETION,
    ),
    (
        "Business Launch",
        "A written business plan and a business license, with the entrepreneurship training completed.",
        [Track.ENTREPRENEURSHIP],
        [],
        Decimal("70"),
        None,
        ["business-plan", "business-license"],
        COMPLETION,
    ),
    (
        "Health Worker Bridge",
        "For foreign-trained health professionals: home health aide training toward a state license.",
        [],
        ["home-health-aide-training"],
        Decimal("90"),
        Decimal("40"),
        ["professional-license"],
        COMPLETION,
    ),
]
# Certificates of completion already issued in the Unidos class that has ended; the rest of that class is left
# for the demo manager to issue in bulk, and the running morning class is held back until it ends.
ISSUED_COHORT = ("unidos", "Citizenship Evening Class")
ISSUED_COUNT = 3
REVOKE_REASON = "The learner's second surname was left out of the name; a corrected certificate will be issued."


def seed_credentials(stdout):
    manager = User.objects.get(username="manager")
    seed_signatories()
    templates = {
        COMPLETION: seed_template(TEMPLATE_NAME, ENGLISH, ARABIC),
        ACHIEVEMENT: seed_template(ACHIEVEMENT_TEMPLATE_NAME, ACHIEVEMENT_ENGLISH, ACHIEVEMENT_ARABIC),
    }
    for spec in PATHWAYS:
        seed_pathway(spec, templates[spec[-1]])
    issued = seed_issued(manager)
    stdout.write(f"Certificate templates, {len(PATHWAYS)} credential pathways and {issued} issued certificates ready.")


def seed_signatories():
    """Each partner's director, unless the partner already has someone to sign."""
    for slug, (name, role) in DIRECTORS.items():
        partner = Partner.objects.filter(slug=slug).first()
        if partner is not None and not partner.signatories.exists():
            PartnerSignatory.objects.create(partner=partner, name=name, role=role)


def seed_template(name, english, arabic_text):
    template = CertificateTemplate.objects.filter(name=name, locale=Locale.get_default()).first()
    if template is None:
        # Learners whose certificate prints in Arabic can also download it in English, with the same code.
        template = CertificateTemplate(name=name, **english, primary_colour="#1f4e79", offers_english_copy=True)
        template.full_clean()
        template.save()
    arabic = Locale.objects.filter(language_code="ar").first()
    if arabic is not None and template.get_translation_or_none(arabic) is None:
        translated = template.copy_for_translation(arabic)
        for field, value in arabic_text.items():
            setattr(translated, field, value)
        translated.full_clean()
        translated.save()
    return template


def seed_pathway(spec, template):
    name, description, tracks, course_slugs, attendance, hours, milestone_slugs, certifies = spec
    if CredentialPathway.objects.filter(name=name).exists():
        return
    pathway = CredentialPathway(
        name=name,
        name_translations=name_translations(name),
        description=description,
        tracks=tracks,
        min_attendance_percent=attendance,
        min_hours=hours,
        certifies=certifies,
        template=template,
    )
    pathway.full_clean()
    pathway.save()
    pathway.courses.set(CoursePage.objects.filter(slug__in=course_slugs, locale=Locale.get_default()))
    pathway.required_milestones.set(MilestoneType.objects.filter(slug__in=milestone_slugs))


def seed_issued(manager):
    """The first few eligible learners of the Unidos citizenship class that has ended hold their certificate of
    completion; the first one's was revoked (and not yet issued again)."""
    partner_slug, cohort_name = ISSUED_COHORT
    cohort = Cohort.objects.filter(partner__slug=partner_slug, name=cohort_name).select_related("partner").first()
    pathway = CredentialPathway.objects.get(name="Citizenship Preparation")
    if cohort is None or Credential.objects.filter(cohort=cohort, pathway=pathway).exists():
        return Credential.objects.filter(pathway=pathway).count()
    eligible = [result for result in cohort_eligibility(pathway=pathway, cohort=cohort) if result.can_issue]
    issued = [
        services.issue_credential(learner=result.learner, pathway=pathway, cohort=cohort, by=manager)
        for result in eligible[:ISSUED_COUNT]
    ]
    if issued:
        services.revoke_credential(credential=issued[0], reason=REVOKE_REASON, by=manager)
    return len(issued)
