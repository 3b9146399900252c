"""The people and records the permission matrix requests every URL with.

Everything the URLs address belongs to the learner's side: Northside (partner A), its cohort, the
learner's enrollment, session, bonus, savings deposit and milestone. The "other" roles are the ones who
must not reach it: another learner (Unidos, partner B), the instructor of another Northside cohort, and
Unidos's partner staff. Learner names are plain ASCII so a leak is found in HTML and JSON alike.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cohorts.models import Cohort, Enrollment, Holiday, Session
from cohorts.services import open_calendar_feed
from courses.models import CoursePage, ProgramIndexPage, Track
from credentials import codes
from credentials.models import BulkIssuance, CertificateTemplate, Credential, CredentialPathway
from incentives.models import (
    BonusRule,
    Decision,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from people.models import Learner, Role
from people.services import assign_role
from tests.factories import PartnerFactory, UserFactory

ROLES = (
    "anonymous",
    "learner",  # Northside learner, enrolled in the cohort
    "other_learner",  # Unidos learner, in another partner's cohort
    "instructor",  # teaches the cohort
    "other_instructor",  # teaches another Northside cohort
    "staff",  # Northside partner staff
    "other_staff",  # Unidos partner staff
    "manager",  # program manager: every partner
)

LEARNER_NAME = "Amina Okonkwo"
OTHER_LEARNER_NAME = "Carlos Quispe"
# Which learners each role may see (people.access.visible_learners): the others' names must never appear.
MAY_SEE = {
    "anonymous": set(),
    "learner": {LEARNER_NAME},
    "other_learner": {OTHER_LEARNER_NAME},
    "instructor": {LEARNER_NAME},
    "other_instructor": set(),
    "staff": {LEARNER_NAME},
    "other_staff": {OTHER_LEARNER_NAME},
    "manager": {LEARNER_NAME, OTHER_LEARNER_NAME},
}
OCTOBER = datetime.date(2026, 10, 1)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (no entry for anonymous)
    objects: dict = field(default_factory=dict)  # name -> model instance

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _site():
    cache.clear()  # Wagtail caches site root paths
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home", heading="Learn with us"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    programs = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs"))
    course = programs.add_child(
        instance=CoursePage(
            title="English for Everyday Life", slug="everyday-english", track=Track.ESOL, summary="ESOL."
        )
    )
    return home, course


def _learner(partner, name, username):
    first, last = name.split(" ", 1)  # named on the account too, so Wagtail's user list is leak-checked
    user = assign_role(user=UserFactory(username=username, first_name=first, last_name=last), role=Role.LEARNER)
    email = name.lower().replace(" ", ".") + "@example.org"
    return Learner.objects.create(partner=partner, full_name=name, email=email, user=user, consent_data=True)


def _cohort(partner, name, course, instructor, today):
    cohort = Cohort.objects.create(
        course=course,
        partner=partner,
        name=name,
        start_date=today - datetime.timedelta(days=40),
        end_date=today + datetime.timedelta(days=60),
        status=Cohort.Status.RUNNING,
        location="Room 4",
        capacity=20,
    )
    cohort.instructors.add(instructor)
    return cohort


def build_world():
    world = World()
    o = world.objects
    home, course = _site()
    o["home"], o["course"] = home, course
    o["partner"] = PartnerFactory(name="Northside Refugee Center", slug="northside")
    o["other_partner"] = PartnerFactory(name="Unidos Community Services", slug="unidos")
    staff = {
        "instructor": (Role.INSTRUCTOR, o["partner"]),
        "other_instructor": (Role.INSTRUCTOR, o["partner"]),
        "other_partner_instructor": (Role.INSTRUCTOR, o["other_partner"]),
        "staff": (Role.PARTNER_STAFF, o["partner"]),
        "other_staff": (Role.PARTNER_STAFF, o["other_partner"]),
        "manager": (Role.PROGRAM_MANAGER, None),
    }
    for role, (kind, partner) in staff.items():
        world.users[role] = assign_role(user=UserFactory(username=role.replace("_", ".")), role=kind, partner=partner)

    learner = _learner(o["partner"], LEARNER_NAME, "amina")
    other_learner = _learner(o["other_partner"], OTHER_LEARNER_NAME, "carlos")
    world.users["learner"], world.users["other_learner"] = learner.user, other_learner.user
    o["learner"], o["other_learner"] = learner, other_learner

    probe = Cohort(time_zone="America/New_York")
    today = probe.local_today()
    o["cohort"] = _cohort(o["partner"], "Northside Evening English", course, world.users["instructor"], today)
    o["sister_cohort"] = _cohort(
        o["partner"], "Northside Computer Basics", course, world.users["other_instructor"], today
    )
    o["other_cohort"] = _cohort(
        o["other_partner"], "Unidos Citizenship Morning", course, world.users.pop("other_partner_instructor"), today
    )
    o["session"] = Session.objects.create(
        cohort=o["cohort"], date=today, start_time=datetime.time(18), end_time=datetime.time(20), topic="At the clinic"
    )
    o["other_session"] = Session.objects.create(
        cohort=o["other_cohort"], date=today, start_time=datetime.time(9), end_time=datetime.time(11)
    )
    o["enrollment"] = Enrollment.objects.create(
        cohort=o["cohort"], learner=learner, status=Enrollment.Status.ACTIVE, enrolled_on=today
    )
    o["other_enrollment"] = Enrollment.objects.create(
        cohort=o["other_cohort"], learner=other_learner, status=Enrollment.Status.ACTIVE, enrolled_on=today
    )
    o["holiday"] = Holiday.objects.create(
        date=today + datetime.timedelta(days=7), name="Festival", partner=o["partner"]
    )
    o["feed"] = open_calendar_feed(learner=learner)

    o["bonus_rule"] = BonusRule.objects.create(
        name="Training bonus", tracks=[Track.ESOL], active_from=datetime.date(2026, 1, 1)
    )
    # Approved, so October's payment files have rows in them.
    approved = {"status": Decision.APPROVED, "approved_by": world.users["manager"], "approved_at": timezone.now()}
    o["bonus"] = MonthlyBonus.objects.create(
        learner=learner, partner=o["partner"], rule=o["bonus_rule"], month=OCTOBER, amount=Decimal("200"), **approved
    )
    o["savings_rule"] = SavingsMatchRule.objects.create(
        name="Savings match",
        monthly_cap=Decimal("100"),
        total_cap=Decimal("1200"),
        active_from=datetime.date(2026, 1, 1),
    )
    o["deposit"] = SavingsDeposit(
        learner=learner,
        partner=o["partner"],
        rule=o["savings_rule"],
        month=OCTOBER,
        deposit=Decimal("50"),
        match=Decimal("50"),
        **approved,
    )
    o["deposit"].evidence.save("statement.pdf", ContentFile(b"%PDF-1.4 bank statement"), save=False)
    o["deposit"].evidence_name = "statement.pdf"
    o["deposit"].save()
    o["milestone_type"] = MilestoneType.objects.create(name="Business license", slug="business-license")
    o["achievement"] = MilestoneAchievement(
        learner=learner, milestone_type=o["milestone_type"], achieved_on=OCTOBER, recorded_by=world.users["instructor"]
    )
    o["achievement"].evidence.save("license.pdf", ContentFile(b"%PDF-1.4 license"), save=False)
    o["achievement"].evidence_name = "license.pdf"
    o["achievement"].save()
    # A certificate of the learner's, kept off the public verification page (so /verify/<code>/ names nobody
    # without the printed name), and the batch it was issued in.
    o["certificate_template"] = CertificateTemplate.objects.create(
        name="Completion", title="Certificate of Completion", body="{learner_name} completed {pathway}."
    )
    o["pathway"] = CredentialPathway.objects.create(
        name="ESOL Level 1", tracks=[Track.ESOL], template=o["certificate_template"]
    )
    o["batch"] = BulkIssuance.objects.create(
        cohort=o["cohort"], pathway=o["pathway"], requested_by=world.users["manager"], learner_ids=[learner.pk]
    )
    o["credential"] = Credential(
        learner=learner,
        pathway=o["pathway"],
        cohort=o["cohort"],
        partner=o["partner"],
        name_as_printed=LEARNER_NAME,
        title_as_printed="ESOL Level 1",
        issuer_as_printed=o["partner"].name,
        issued_on=today,
        issued_by=world.users["manager"],
        verification_code=codes.new_code(),
        shown_publicly=False,
        bulk_issuance=o["batch"],
    )
    o["credential"].pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"), save=False)
    o["credential"].english_pdf.save("certificate-en.pdf", ContentFile(b"%PDF-1.4 English copy"), save=False)
    o["credential"].save()
    o["document"] = Document.objects.create(title="Class flyer", file=ContentFile(b"flyer", name="flyer.txt"))
    _wagtail_objects(world)
    return world


def _png():
    import io

    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _wagtail_objects(world):
    """Real objects for the ids in Wagtail's own admin URLs. The private ones (files, collection, redirect) carry
    Northside's learner's name, so the leak check means something on their pages."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.images.models import Image
    from wagtail.models import Collection, GroupApprovalTask, TaskState, UploadedFile, Workflow

    from cms.models import BrandingSettings
    from courses.models import InstructionLanguage

    o = world.objects
    o["collection"] = Collection.get_first_root_node().add_child(name=f"Northside files {LEARNER_NAME}")
    o["northside_document"] = Document.objects.create(
        title=f"Lease of {LEARNER_NAME}",
        file=ContentFile(b"lease", name="lease.txt"),
        collection=o["collection"],
        uploaded_by_user=world.users["staff"],
    )
    o["image"] = Image.objects.create(
        title=f"Photo of {LEARNER_NAME}",
        file=ContentFile(_png(), name="photo.png"),
        collection=o["collection"],
        uploaded_by_user=world.users["staff"],
    )
    o["redirect"] = Redirect.objects.create(old_path="/amina-okonkwo", redirect_link=f"/?who={LEARNER_NAME}")
    course = o["course"]
    # A draft of the public course page (which names no learner: it is shown to anyone).
    course.summary = "ESOL, evenings."
    o["revision"] = course.save_revision(user=world.users["manager"])
    o["group"] = Group.objects.get(name="Partner staff")
    o["task"] = GroupApprovalTask.objects.create(name="Managers approve")
    o["task"].groups.add(Group.objects.get(name="Program managers"))
    o["workflow"] = Workflow.objects.create(name="Course review")
    o["workflow"].workflow_tasks.create(task=o["task"], sort_order=0)
    o["workflow_state"] = o["workflow"].start(course, world.users["manager"])
    o["task_state"] = TaskState.objects.filter(workflow_state=o["workflow_state"]).first() or (
        TaskState.objects.create(
            workflow_state=o["workflow_state"], revision=o["revision"], task=o["task"], status="in_progress"
        )
    )
    o["instruction_language"] = InstructionLanguage.objects.create(code="so", name="Somali")
    o["branding"] = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    o["locale"] = Locale.get_default()
    o["site"] = Site.objects.get(is_default_site=True)
    o["editing_session"] = EditingSession.objects.create(
        user=world.users["staff"],
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(course.pk),
        last_seen_at=timezone.now(),
    )
    o["uploaded_image"] = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(Image),
        file=ContentFile(_png(), name="amina-okonkwo.png"),
        uploaded_by_user=world.users["manager"],
    )
    _translation_objects(world)
    o["uploaded_document"] = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(Document),
        file=ContentFile(b"x", name="amina-okonkwo.txt"),
        uploaded_by_user=world.users["manager"],
    )


def _translation_objects(world):
    """wagtail-localize's translation of the course into Spanish, for the ids in its admin URLs."""
    from wagtail_localize.models import OverridableSegment, StringSegment, Translation, TranslationSource

    o = world.objects
    spanish, _created = Locale.objects.get_or_create(language_code="es")
    source, _created = TranslationSource.get_or_create_from_instance(o["course"])
    o["translation_source"] = source
    o["translation"] = Translation.objects.create(source=source, target_locale=spanish)
    o["translation"].save_target(user=world.users["manager"])
    o["string_segment"] = StringSegment.objects.filter(source=source).first()
    overridable = OverridableSegment.objects.filter(source=source).first()
    if overridable is not None:
        o["overridable_segment"] = overridable
