"""Names staff give things (a cohort, its term, a credential) in each site language, and reading them back in one.

A model keeps its main name in the site's default language (settings.LANGUAGE_CODE, English) in an ordinary
field, say `name`, and the other languages' versions in a `name_translations` TranslatedNamesField beside it:
{"ar": "...", "es": "..."}, only the languages someone filled in. `in_language(main, translations, language)`
answers the name in a reader's language, or the main name when nobody translated it, saying which language the
answer is in so a page can mark it (`lang`) and isolate it (`<bdi>`; cms/templatetags/bidi.py).

Why a JSON field and not django-modeltranslation: that library adds a column per language and field and patches
the model class at start-up (`name` itself then answers in the active language). Wagtail's admin, the search
index, sorting by name and every staff page would silently start reading the active language's column, and the
columns change whenever a language is added. These names are short labels read by learners and the public;
staff work with the main name. One JSON value per field keeps the row, the queries and the admin as they were
(no join, no extra query: the translations come with the row), and the form below edits it as one labelled
input per language in the same admin form. Wagtail's own translation (wagtail-localize) suits pages and
snippets with their own workflow; a cohort is not translated as a whole, only its name is.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _


def other_languages():
    """The site languages other than the default one, as (code, info) in settings order."""
    return [
        (code.lower(), get_language_info(code))
        for code, _name in settings.LANGUAGES
        if code.lower() != settings.LANGUAGE_CODE.lower()
    ]


class TranslatedName(str):
    """A name as read in one language: the text, and `language`, the language it is written in."""

    language: str

    def __new__(cls, text, language):
        name = super().__new__(cls, text)
        name.language = language
        return name

    def __getnewargs__(self):  # pickled (a cache, a worker process) with its language
        return str(self), self.language

    @property
    def is_fallback(self):
        return self.language.lower() != (get_language() or settings.LANGUAGE_CODE).lower()


def in_language(main, translations, language=None):
    """The name in `language` (the active one when None) when someone gave it, else the main name, which is in
    the default language."""
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    text = (translations or {}).get(language, "").strip() if language != settings.LANGUAGE_CODE.lower() else ""
    if text:
        return TranslatedName(text, language)
    return TranslatedName(main, settings.LANGUAGE_CODE)


class TranslatedNamesWidget(forms.MultiWidget):
    """One text input per language, each labelled with the language's own name and written in its direction."""

    template_name = "core/widgets/translated_names.html"

    def __init__(self, attrs=None):
        self.languages = other_languages()
        widgets = {
            code: forms.TextInput(attrs={"lang": code, "dir": "rtl" if info["bidi"] else "ltr"})
            for code, info in self.languages
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code, _info in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (code, info) in zip(context["widget"]["subwidgets"], self.languages, strict=True):
            subwidget["language_name"] = info["name_local"]
            subwidget["language_code"] = code
            subwidget["language_dir"] = "rtl" if info["bidi"] else "ltr"
        return context


class TranslatedNamesFormField(forms.MultiValueField):
    """Edits a TranslatedNamesField. Every language is optional; a name too long is refused naming its
    language, so the manager sees which input to shorten."""

    widget = TranslatedNamesWidget

    def __init__(self, *, max_length=None, **kwargs):
        self.languages = other_languages()
        fields = [forms.CharField(max_length=max_length, required=False) for _language in self.languages]
        kwargs.pop("encoder", None), kwargs.pop("decoder", None)
        kwargs["required"] = False
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        cleaned, errors = {}, []
        for (code, info), field, text in zip(self.languages, self.fields, value, strict=True):
            try:
                text = field.clean(text)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("%(language)s: %(error)s"), params={"language": info["name_local"], "error": message}
                    )
                    for message in error.messages
                )
                continue
            if text.strip():
                cleaned[code] = text.strip()
        if errors:
            raise ValidationError(errors)
        return cleaned

    def compress(self, data_list):  # clean() above builds the value itself
        return dict(zip((code for code, _info in self.languages), data_list, strict=True))

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != (initial or {})
        except ValidationError:
            return True


class TranslatedNamesField(models.JSONField):
    """The other site languages' versions of a name, {"ar": "...", "es": "..."}; each at most `max_length`
    characters, like the main name."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.name_max_length = max_length
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.name_max_length is not None:
            kwargs["max_length"] = self.name_max_length
        if kwargs.get("default") is dict:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, dict):
            raise ValidationError(_("Enter the names by language."), code="invalid")
        known = dict(other_languages())
        for code, text in value.items():
            if code not in known or not isinstance(text, str):
                raise ValidationError(_("Enter the names by language."), code="invalid")
            if self.name_max_length and len(text) > self.name_max_length:
                raise ValidationError(
                    _("%(language)s: at most %(limit)d characters."),
                    params={"language": known[code]["name_local"], "limit": self.name_max_length},
                    code="max_length",
                )

    def formfield(self, **kwargs):
        return TranslatedNamesFormField(
            max_length=self.name_max_length,
            label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text),
        )
