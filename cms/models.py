"""The site shell: home and standard pages, and the organization's branding."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.phones import validate_phone

from .blocks import BodyBlock


class HomePage(Page):
    """The root of a site (one per language)."""

    heading = models.CharField(_("heading"), max_length=200)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    call_to_action = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("main button leads to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_to_action_label = models.CharField(_("main button label"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    content_panels = Page.content_panels + [
        FieldPanel("heading"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("call_to_action"), FieldPanel("call_to_action_label")], heading=_("Main button")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("heading"), index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """An ordinary content page: about us, contact, how to enroll."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


def _relative_luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def validate_readable_with_white_text(value):
    """White text on the brand colour must reach WCAG AA contrast (4.5:1)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        return  # the format validator reports this
    contrast = 1.05 / (_relative_luminance(value) + 0.05)
    if contrast < 4.5:
        raise ValidationError(
            _("White text on %(colour)s has a contrast of %(ratio).1f:1; choose a darker colour (at least 4.5:1)."),
            params={"colour": value, "ratio": contrast},
            code="low_contrast",
        )


@register_setting(icon="site")
class BrandingSettings(BaseSiteSetting):
    """The organization's name, logo, colour and contact, shown on every page."""

    organization_name = models.CharField(_("organization name"), max_length=120, default="Pathways")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b5394",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #0b5394.")),
            validate_readable_with_white_text,
        ],
        help_text=_("A dark colour: white text must stay readable on it."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_phone]
    )  # shown as written; checked like every phone number (core.phones)
    address = models.TextField(_("address"), blank=True)

    panels = [
        FieldPanel("organization_name"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")], heading=_("Contact")
        ),
    ]

    class Meta:
        verbose_name = _("branding")
