"""Admin panels every domain's forms use. Lives in people, the lowest app, so cohorts and people share it."""

from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel


class OwnChildrenFormSet(BaseChildFormSet):
    """modelcluster's child formset, except that a row's id must be one of *this* object's children.

    Out of the box the hidden id field accepts any row of the child model: a form forged with another cohort's
    meeting time id reached the database and ended in an IntegrityError (a server error), or could have moved
    the row. Here it is a form error, and nothing is saved."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if field is None or not hasattr(field, "queryset"):
            return
        own = self.model._default_manager.filter(**{self.fk.name: self.instance}) if self.instance.pk else None
        field.queryset = own if own is not None else field.queryset.none()
        field.error_messages["invalid_choice"] = _(
            "This row does not belong to what you are editing. Reload the page and try again."
        )


class OwnChildrenInlinePanel(InlinePanel):
    """Wagtail's InlinePanel with OwnChildrenFormSet: use it for every inline list of children in the admin."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = OwnChildrenFormSet
        return options
