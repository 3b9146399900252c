"""Demo credentials: a certificate template (in English and Arabic) that every partner shares, each partner's
own director to sign its certificates (a printed name over a line: no made-up signature image), the program's
credential pathways, and the Unidos citizenship class's certificates already issued — one of them revoked —
so the verification page has both states to show. The Northside evening class is left for the demo manager to
issue in bulk from the admin.

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
from incentives.models import MilestoneType
from people.models import Partner, PartnerSignatory, User

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
    "second_language_body": "{pathway}, {partner}.",
}
# Who signs each partner's certificates: its own director, never another organization's.
DIRECTORS = {
    "northside": ("Samira Haddad", "Executive Director"),
    "unidos": ("Rosa Delgado", "Executive Director"),
    "horn-of-africa": ("Tesfaye Alemu", "Executive Director"),
}

# name, description, tracks, course slugs, attendance %, hours, milestone slugs, completion required
PATHWAYS = [
    (
        "English for Everyday Life — Level 1",
        "Everyday English: appointments, shopping, school and work conversations.",
        [],
        ["english-for-everyday-life"],
        Decimal("85"),
        Decimal("30"),
        [],
        False,
    ),
    (
        "Citizenship Preparation",
        "Civics, history and the interview in English, ready for the naturalization test.",
        [],
        ["citizenship-preparation"],
        Decimal("80"),
        Decimal("16"),
        [],
        False,
    ),
    (
        "Business Launch",
        "A written business plan and a business license, with the entrepreneurship training completed.",
        [Track.ENTREPRENEURSHIP],
        [],
        Decimal("70"),
        None,
        ["business-plan", "business-license"],
        True,
    ),
    (
        "Health Worker Bridge",
        "For foreign-trained health professionals: home health aide training toward a state license.",
        [],
        ["home-health-aide-training"],
        Decimal("90"),
        Decimal("40"),
        ["professional-license"],
        True,
    ),
]
ISSUED_COHORT = ("unidos", "Citizenship Morning Class")
ISSUED_COUNT = 3
REVOKE_REASON = "Issued before the final class by mistake; it will be issued again when the class ends."


def seed_credentials(stdout):
    manager = User.objects.get(username="manager")
    seed_signatories()
    template = seed_template()
    for spec in PATHWAYS:
        seed_pathway(spec, template)
    issued = seed_issued(manager)
    stdout.write(f"Certificate template, {len(PATHWAYS)} credential pathways and {issued} issued certificates ready.")


def seed_signatories():
    """Each partner's director, unless the partner already has someone to sign."""
    for slug, (name, role) in DIRECTORS.items():
        partner = Partner.objects.filter(slug=slug).first()
        if partner is not None and not partner.signatories.exists():
            PartnerSignatory.objects.create(partner=partner, name=name, role=role)


def seed_template():
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME, locale=Locale.get_default()).first()
    if template is None:
        template = CertificateTemplate(name=TEMPLATE_NAME, **ENGLISH, primary_colour="#1f4e79")
        template.full_clean()
        template.save()
    arabic = Locale.objects.filter(language_code="ar").first()
    if arabic is not None and template.get_translation_or_none(arabic) is None:
        translated = template.copy_for_translation(arabic)
        for field, value in ARABIC.items():
            setattr(translated, field, value)
        translated.full_clean()
        translated.save()
    return template


def seed_pathway(spec, template):
    name, description, tracks, course_slugs, attendance, hours, milestone_slugs, completion = spec
    if CredentialPathway.objects.filter(name=name).exists():
        return
    pathway = CredentialPathway(
        name=name,
        description=description,
        tracks=tracks,
        min_attendance_percent=attendance,
        min_hours=hours,
        requires_completion=completion,
        template=template,
    )
    pathway.full_clean()
    pathway.save()
    pathway.courses.set(CoursePage.objects.filter(slug__in=course_slugs, locale=Locale.get_default()))
    pathway.required_milestones.set(MilestoneType.objects.filter(slug__in=milestone_slugs))


def seed_issued(manager):
    """The first few eligible learners of the Unidos citizenship class hold their certificate; the first
    one's was revoked (and not yet issued again)."""
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
