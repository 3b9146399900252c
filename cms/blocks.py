"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"))
    level = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("level"))

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"), help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video shown as a link, not an embedded player: no third-party requests
    on page load and no megabytes over a learner's prepaid data plan."""

    title = blocks.CharBlock(label=_("title"))
    video = EmbedBlock(label=_("video address"), help_text=_("A YouTube, Vimeo or similar link."))
    minutes = blocks.IntegerBlock(required=False, min_value=1, label=_("length in minutes"))

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("paragraph"))
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
