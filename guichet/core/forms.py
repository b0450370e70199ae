from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.core.models import AuditEvent
from guichet.core.selectors import AuditFilters


class PersonChoiceField(forms.ModelChoiceField):
    """A platform user shown by name, with the organisation when several can be listed
    (select_related("organisation") on the queryset keeps it to one query)."""

    def __init__(self, *args, with_organisation: bool = False, **kwargs):
        self.with_organisation = with_organisation
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.email
        if self.with_organisation and obj.organisation_id:
            return f"{name} — {obj.organisation.name}"
        return name


class AuditFilterForm(DsfrBaseForm):
    actor = forms.CharField(label=_("Auteur ou organisation"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Toutes")), *list(AuditEvent.Action.choices)],
    )
    object_type = forms.ChoiceField(label=_("Type d'objet"), required=False)
    text = forms.CharField(label=_("Objet (nom ou identifiant)"), required=False, max_length=100)
    since = forms.DateField(
        label=_("Depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Tous"))] + [(t, t) for t in object_types]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        return AuditFilters(**{k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
