"""Shared fixtures: a small bilingual page tree (English, with Arabic aliases) and one user per role."""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, StandardPage
from courses.models import CoursePage, Format, InstructionLanguage, Level, ProgramIndexPage, Track
from people.models import Role
from people.services import assign_role
from tests.factories import LearnerFactory, PartnerFactory, UserFactory

# --- running on both cores (pytest-xdist) ------------------------------------------------------------

# Fixtures built once for a module (seed_demo, a rendered PDF...) or a class: their tests stay on one xdist worker,
# so each is built once per run, not once per worker.
SHARED_SCOPES = {"class", "module", "package"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Groups for `pytest -n 2 --dist loadgroup` (make test): every browser test on one worker (one Chromium at a
    time, so two browsers never race each other's timeouts on two cores), every real-Celery-worker test on one
    worker (they share the test Redis queue), and the tests of a module with a module-wide fixture together.
    Everything else is handed out test by test. Without xdist the marks do nothing. Runs before xdist's own hook,
    which reads the marks.

    Every item also gets a node id of its own: schemathesis names its items `test[GET /api/v1/me]` but leaves
    them one shared node id, and xdist's group scheduling keeps one item per node id, so 16 of the 17 API
    operations silently did not run in `make test`. (pytest derives a node id as its parent's id plus the name;
    schemathesis builds its items with the function's id instead, so this gives them the id pytest would.)"""
    for item in items:
        if item.name != item.nodeid.rsplit("::", 1)[-1]:
            item._id = item.parent.id.child(item.name)
        if item.get_closest_marker("browser"):
            group = "browser"
        elif item.get_closest_marker("celery_worker"):
            group = "celery-worker"
        elif any(
            definition.scope in SHARED_SCOPES and definition.baseid.startswith("tests")  # ours, not pytest-django's
            for definitions in item._fixtureinfo.name2fixturedefs.values()
            for definition in definitions
        ):
            group = item.nodeid.split("::")[0]
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True, scope="session")
def staff_sign_in_with_their_second_factor():
    """The test client's force_login / login also pass the second factor (tests/second_factor.py)."""
    from django.test import Client

    from tests import second_factor

    Client.force_login = second_factor.force_login_with_second_factor
    Client.login = second_factor.login_with_second_factor
    yield
    Client.force_login, Client.login = second_factor._force_login, second_factor._login


@pytest.fixture(autouse=True)
def language_of_the_site():
    """Each test starts in the site's language: a request or task that activated Arabic in this thread (Django's
    LocaleMiddleware leaves the last request's language active) must not make the next test's messages Arabic."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- the page tree ------------------------------------------------------------------------------

HOME_HEADING = "Learn English, train for a job, start a business"


def syllabus(*units):
    """A syllabus StreamField value from plain unit dicts, built so every block is saved with an id
    (wagtail-localize and aliases address blocks by id, as seed_demo does)."""
    value = CoursePage._meta.get_field("syllabus").stream_block.to_python(
        [{"type": "unit", "value": unit} for unit in units]
    )
    list(value)
    return value


EVERYDAY_SYLLABUS = [
    {
        "title": "Meeting people",
        "summary": "Greetings and introductions.",
        "content": [
            {"type": "text", "value": "<p>Say your name and where you live.</p>"},
            {
                "type": "vocabulary",
                "value": {
                    "title": "Greetings",
                    "entries": [
                        {
                            "term": "Hello",
                            "translations": [
                                {"language": "es", "text": "Hola"},
                                {"language": "ar", "text": "مرحبا"},
                            ],
                            "example": "Hello, my name is Ana.",
                        }
                    ],
                },
            },
            {"type": "checklist", "value": {"title": "I can", "items": ["Say my name", "Spell my name"]}},
        ],
    },
    {"title": "At the clinic", "summary": "", "content": [{"type": "text", "value": "<p>Make an appointment.</p>"}]},
]


@dataclass
class SiteTree:
    """The default site: Home (with About and Programs) in English, and its Arabic aliases."""

    site: Site
    home: HomePage
    about: StandardPage
    programs: ProgramIndexPage
    arabic: Locale
    languages: dict = field(default_factory=dict)  # InstructionLanguage by code
    courses: dict = field(default_factory=dict)  # CoursePage by slug

    def add_course(
        self,
        slug,
        *,
        title=None,
        track=Track.ESOL,
        level=Level.ALL,
        format=Format.IN_PERSON,
        languages=(),
        units=(),
        live=True,
        in_arabic=True,
    ):
        """A course under Programs; live ones also get an Arabic alias, as synchronize_tree would make."""
        course = self.programs.add_child(
            instance=CoursePage(
                title=title or slug.replace("-", " ").capitalize(),
                slug=slug,
                track=track,
                level=level,
                format=format,
                summary=f"Summary of {slug}.",
                syllabus=syllabus(*units),
                live=live,
            )
        )
        if languages:
            course.languages.set([self.languages[code] for code in languages])
            course.save()
        if live and in_arabic:
            course.copy_for_translation(self.arabic, copy_parents=True, alias=True)
        self.courses[slug] = course
        return course

    def in_arabic(self, page):
        return page.get_translation(self.arabic).specific


@pytest.fixture
def site_tree(db):
    """A minimal site without seed_demo: Home replaces Wagtail's placeholder "Welcome" page as the
    default site's root; four live courses across tracks, levels, formats and languages."""
    cache.clear()  # Wagtail caches the site root paths; a new tree must not meet an old cache
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()  # the placeholder (and the default Site pointing at it)
    home = root.add_child(instance=HomePage(title="Home", slug="home", heading=HOME_HEADING))
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    about = home.add_child(
        instance=StandardPage(
            title="About us", slug="about", show_in_menus=True, intro="A network of community organizations."
        )
    )
    programs = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs", show_in_menus=True))
    arabic = Locale.objects.create(language_code="ar")
    for page in (home, about, programs):
        page.copy_for_translation(arabic, copy_parents=True, alias=True)
    tree = SiteTree(site=site, home=home, about=about, programs=programs, arabic=arabic)
    for code, name, native_name in [("ar", "Arabic", "العربية"), ("es", "Spanish", "Español"), ("prs", "Dari", "دری")]:
        tree.languages[code] = InstructionLanguage.objects.create(code=code, name=name, native_name=native_name)
    tree.add_course(
        "everyday-english",
        title="English for Everyday Life",
        level=Level.BEGINNER,
        languages=["ar", "es"],
        units=EVERYDAY_SYLLABUS,
    )
    tree.add_course(
        "english-at-work", title="English at Work", level=Level.INTERMEDIATE, format=Format.ONLINE, languages=["es"]
    )
    tree.add_course(
        "warehouse-skills",
        title="Warehouse and Forklift Skills",
        track=Track.JOB_TRAINING,
        level=Level.ALL,
        format=Format.HYBRID,
        languages=["prs"],
    )
    tree.add_course(
        "start-your-business",
        title="Start Your Business",
        track=Track.ENTREPRENEURSHIP,
        level=Level.ADVANCED,
        format=Format.ONLINE,
        languages=["ar"],
    )
    return tree


# --- people, one per role -----------------------------------------------------------------------


def user_with_role(role, partner=None, **fields):
    return assign_role(user=UserFactory(**fields), role=role, partner=partner)


@pytest.fixture
def partner_a(db):
    return PartnerFactory(name="Northside Refugee Center", slug="northside")


@pytest.fixture
def partner_b(db):
    return PartnerFactory(name="Unidos Community Services", slug="unidos")


@pytest.fixture
def manager(db):
    return user_with_role(Role.PROGRAM_MANAGER, username="manager")


@pytest.fixture
def staff_a(partner_a):
    return user_with_role(Role.PARTNER_STAFF, partner_a, username="staff.a")


@pytest.fixture
def staff_b(partner_b):
    return user_with_role(Role.PARTNER_STAFF, partner_b, username="staff.b")


@pytest.fixture
def instructor_a(partner_a):
    return user_with_role(Role.INSTRUCTOR, partner_a, username="instructor.a")


@pytest.fixture
def learner_a(partner_a):
    """A Learner of partner A with a portal account (`learner_a.user`)."""
    return LearnerFactory(partner=partner_a, full_name="فاطمة الزهراء أحمد", user=user_with_role(Role.LEARNER))


@pytest.fixture
def learner_b(partner_b):
    """A Learner of partner B, also with a portal account."""
    return LearnerFactory(partner=partner_b, full_name="María José Pérez", user=user_with_role(Role.LEARNER))
