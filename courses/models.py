"""Course content as Wagtail pages: a program index and the courses it lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import SyllabusBlock


class Track(models.TextChoices):
    ESOL = "esol", _("English (ESOL)")
    JOB_TRAINING = "job_training", _("Job training")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")


class Level(models.TextChoices):
    ALL = "all", _("All levels")
    LITERACY = "literacy", _("Literacy")
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


@register_snippet
class InstructionLanguage(models.Model):
    """A language a class can be taught in (Dari, Somali, Amharic...); not limited to the site's UI languages."""

    code = models.SlugField(
        _("code"), max_length=16, unique=True, help_text=_("An ISO 639 code, for example prs or so.")
    )
    name = models.CharField(_("name in English"), max_length=80)
    native_name = models.CharField(_("name in the language itself"), max_length=80, blank=True)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("native_name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("language of instruction")
        verbose_name_plural = _("languages of instruction")

    def __str__(self):
        if self.native_name and self.native_name != self.name:
            return f"{self.name} ({self.native_name})"
        return self.name


class ProgramIndexPage(Page):
    """Lists the courses below it, filterable by track, level, language and format."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("program index")

    def courses(self):
        return (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .select_related("locale", "alias_of__locale")  # the language each card is written in
            .prefetch_related("languages")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        from .filters import CourseFilter

        context = super().get_context(request, *args, **kwargs)
        course_filter = CourseFilter(request.GET or None, queryset=self.courses())
        context["filter"] = course_filter
        context["courses"] = course_filter.qs
        return context


class CoursePage(Page):
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.ALL)
    languages = ParentalManyToManyField(
        InstructionLanguage, verbose_name=_("languages of instruction"), blank=True, related_name="courses"
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    summary = models.TextField(
        _("summary"), help_text=_("Two or three plain sentences: who it is for and what they will be able to do.")
    )
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    syllabus = StreamField(SyllabusBlock(), blank=True, verbose_name=_("syllabus"))

    parent_page_types = ["courses.ProgramIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("track"),
                FieldPanel("level"),
                FieldPanel("format"),
                FieldPanel("languages"),
                FieldPanel("hours_per_week"),
            ],
            heading=_("About the course"),
        ),
        FieldPanel("summary"),
        FieldPanel("syllabus"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("track"),
        index.FilterField("level"),
        index.FilterField("format"),
    ]

    class Meta:
        verbose_name = _("course")
