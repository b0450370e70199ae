from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.models import Filiere
from guichet.companies.services_filieres import parse_naf_codes


class FiliereForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom de la filière"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    naf_codes = forms.CharField(
        label=_("Codes NAF"),
        help_text=_(
            "Séparés par des virgules ou des espaces, à n'importe quel niveau : une division "
            "(« 10 ») couvre toutes ses sous-classes. Exemple : 10, 11, 01.21Z"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, instance: Filiere | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Filiere.objects.filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Une filière porte déjà ce nom."))
        return name

    def clean_naf_codes(self):
        return parse_naf_codes(self.cleaned_data["naf_codes"])


def filiere_filter_field() -> forms.ModelChoiceField:
    """The optional filière filter of a figures or list page ("Toutes les filières")."""
    return forms.ModelChoiceField(
        label=_("Filière"),
        queryset=Filiere.objects.order_by("name"),
        required=False,
        empty_label=_("Toutes les filières"),
        error_messages={"invalid_choice": _("Filière inconnue.")},
    )
