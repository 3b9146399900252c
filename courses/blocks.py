"""The syllabus: a course is a list of units, each a stream of learning materials."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import DocumentBlock, VideoBlock


class NotTranslated:
    """A block wagtail-localize leaves out of what translators see, copied as it is into every translation.

    A vocabulary entry is already written in fixed languages (the English word, its translation into the
    language its code names, an English example): translating it, or its language code, breaks it.
    """

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class VocabularyEntryBlock(NotTranslated, blocks.StructBlock):
    term = blocks.CharBlock(label=_("English word or phrase"))
    translations = blocks.ListBlock(
        blocks.StructBlock(
            [
                (
                    "language",
                    blocks.CharBlock(
                        max_length=10, label=_("language code"), help_text=_("For example es, ar, zh-hans.")
                    ),
                ),
                ("text", blocks.CharBlock(label=_("translation"))),
            ]
        ),
        label=_("translations"),
        default=[],
    )
    example = blocks.CharBlock(required=False, label=_("example sentence"))


class VocabularyListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    entries = blocks.ListBlock(VocabularyEntryBlock(), label=_("words"))

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/vocabulary.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("item")), label=_("items"))

    class Meta:
        icon = "tasks"
        template = "courses/blocks/checklist.html"


class UnitContentBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"], label=_("text"))
    video = VideoBlock()
    document = DocumentBlock()
    vocabulary = VocabularyListBlock()
    checklist = ChecklistBlock()


class UnitBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("unit title"))
    summary = blocks.TextBlock(required=False, label=_("summary"))
    content = UnitContentBlock(label=_("materials"))

    class Meta:
        icon = "folder-open-1"
        template = "courses/blocks/unit.html"


class SyllabusBlock(blocks.StreamBlock):
    unit = UnitBlock()
