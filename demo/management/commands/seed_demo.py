"""Load the demo organization: idempotent, so running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from cms.models import BrandingSettings, HomePage, StandardPage
from courses.models import CoursePage, InstructionLanguage, ProgramIndexPage
from demo import content
from people.models import Learner, Partner, User
from people.services import assign_role, ensure_role_groups


def stream_value(model, field_name, raw):
    """Raw StreamField JSON as blocks, so every block down to list items is saved with an id:
    wagtail-localize addresses translatable segments by block id, and Wagtail keeps a lazy
    raw stream exactly as given (without ids) unless its blocks have been built."""
    value = model._meta.get_field(field_name).stream_block.to_python(raw)
    list(value)  # build the blocks
    return value


class Command(BaseCommand):
    help = "Create the demo organization (pages, courses, partners, demo logins). Safe to run repeatedly."

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
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in README.md."))

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
        for full_name, preferred_name, language, partner_slug in content.LEARNERS:
            Learner.objects.get_or_create(
                partner=partners[partner_slug],
                full_name=full_name,
                defaults={
                    "preferred_name": preferred_name,
                    "preferred_language": language,
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

    def sync_translation_trees(self, locales):
        """Every page exists in every language (as an alias of the English page until translated)."""
        english = Locale.objects.get(language_code="en")
        for locale in locales:
            synchronize_tree(english, locale)
