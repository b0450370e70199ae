from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.partners.models import Organisation, Role, User
from guichet.reference.models import Departement, Region


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. Après 10 erreurs, "
            "le compte est verrouillé pendant 30 minutes."
        ),
        "inactive": _("Ce compte est désactivé. Contactez l'administrateur de la plateforme."),
    }


class ResetRequestForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ChoosePasswordForm(DsfrBaseForm, SetPasswordForm):
    pass


class SecondFactorForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code à 6 chiffres de votre application d'authentification"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Le code ne contient que des chiffres."))
        return code


class OrganisationForm(DsfrBaseForm, forms.ModelForm):
    regions = forms.ModelMultipleChoiceField(
        label=_("Régions couvertes"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departements = forms.ModelMultipleChoiceField(
        label=_("Départements couverts"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "regions", "departements", "is_active"]


class UserForm(DsfrBaseForm, forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        label=_("Rôles"),
        queryset=Role.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "organisation", "roles", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Un compte existe déjà avec cette adresse."))
        return email


class ApiKeyForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Libellé de la clé"),
        max_length=100,
        help_text=_("Par exemple : « CRM de la CCI » — pour savoir quel système l'utilise."),
    )


class RoleSecondFactorForm(DsfrBaseForm):
    required_roles = forms.MultipleChoiceField(
        label=_("Rôles pour lesquels la double authentification est obligatoire"),
        choices=Role.Code.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def partner_filter_field() -> forms.ModelChoiceField:
    """The optional partner filter of a figures page ("Tous les partenaires"); the form sets
    its queryset."""
    return forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Tous les partenaires"),
        error_messages={"invalid_choice": _("Partenaire inconnu.")},
    )
