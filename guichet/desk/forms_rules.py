"""Forms of the routing administration: rules, the "who would receive this?" preview, the
service levels of the desk and its subjects. French labels and errors; what was typed is kept."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.geography import (
    departement_code_of_commune,
    departement_code_of_postal_code,
    departement_regions,
)
from guichet.companies.models import Company, Establishment, ExportStatus
from guichet.companies.services import phone_normalise
from guichet.companies.services_filieres import parse_naf_codes
from guichet.desk.models import DeskPolicy, RoutingRule, Subject
from guichet.partners.models import Organisation, User
from guichet.reference.models import Departement, Region

_SEPARATORS = re.compile(r"[\s,;]+")
_MULTI_HINT = _("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.")


class _SubjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label if obj.is_active else f"{obj.label} (non proposé)"


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.email
        inactive = "" if obj.is_active else " (compte inactif)"
        return f"{name} — {obj.organisation.name}{inactive}"


class _DepartementChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.name}"


def parse_communes(text: str) -> list[str]:
    """INSEE commune codes typed by a person ("21231, 25056 2A004") → the list, validated:
    five characters each, in a known département."""
    codes, bad = [], []
    known = departement_regions()
    for token in (t for t in _SEPARATORS.split(text or "") if t):
        code = token.upper()
        valid = len(code) == 5 and code.isalnum() and departement_code_of_commune(code) in known
        if not valid:
            bad.append(token)
        elif code not in codes:
            codes.append(code)
    if bad:
        raise ValidationError(
            _(
                "Codes commune invalides : %(codes)s. Un code INSEE de commune compte "
                "5 caractères et commence par le code d'un département (21231 pour Dijon, "
                "2A004 pour Ajaccio)."
            ),
            params={"codes": ", ".join(bad)},
            code="bad_commune",
        )
    return codes


def _check_range(form, low: str, high: str, message) -> None:
    data = form.cleaned_data
    if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
        form.add_error(high, message)


class RuleForm(DsfrBaseForm, forms.ModelForm):
    """A routing rule. `communes` and `naf_codes` are typed as text (codes separated by commas
    or spaces); regions and départements are chosen in lists."""

    subject = _SubjectChoice(
        label=_("Sujet"), queryset=Subject.objects.none(), empty_label=_("— Choisir un sujet —")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation destinataire"),
        queryset=Organisation.objects.none(),
        empty_label=_("— Choisir une organisation —"),
        help_text=_("Ses membres reçoivent les demandes dans leur boîte du guichet."),
    )
    person = _PersonChoice(
        label=_("Personne nommée"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Personne (toute l'organisation) —"),
        help_text=_(
            "Un membre actif de l'organisation choisie, à qui la demande est confiée "
            "d'emblée. Sans personne nommée, toute l'organisation la voit."
        ),
    )
    priority = forms.IntegerField(
        label=_("Rang"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_(
            "1 = reçoit la demande en premier ; 2 = la reçoit si le rang 1 la refuse, etc. "
            "Plusieurs organisations de même rang la reçoivent ensemble."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Régions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_MULTI_HINT,
    )
    departements = _DepartementChoice(
        label=_("Départements"),
        queryset=Departement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_MULTI_HINT,
    )
    communes = forms.CharField(
        label=_("Communes (codes INSEE)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Codes INSEE séparés par des virgules ou des espaces, par exemple 21231, 21054. "
            "Sans région, département ni commune, la règle vaut pour tout le territoire."
        ),
    )
    naf_codes = forms.CharField(
        label=_("Codes NAF"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Séparés par des virgules, à n'importe quel niveau : une division (« 10 ») couvre "
            "toutes ses sous-classes. Vide : toutes les activités."
        ),
    )
    min_employees = forms.IntegerField(
        label=_("Effectif minimum (salariés)"), required=False, min_value=0
    )
    max_employees = forms.IntegerField(
        label=_("Effectif maximum (salariés)"), required=False, min_value=0
    )
    min_age_years = forms.IntegerField(
        label=_("Âge minimum de l'entreprise (ans)"), required=False, min_value=0, max_value=999
    )
    max_age_years = forms.IntegerField(
        label=_("Âge maximum de l'entreprise (ans)"), required=False, min_value=0, max_value=999
    )
    export_statuses = forms.MultipleChoiceField(
        label=_("Statuts export"),
        required=False,
        choices=ExportStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tous les statuts, y compris non renseigné."),
    )
    is_active = forms.BooleanField(
        label=_("Règle active"),
        required=False,
        initial=True,
        help_text=_(
            "Décochez pour désactiver la règle : elle n'oriente plus de demande mais reste "
            "dans l'historique des demandes déjà orientées."
        ),
    )
    note = forms.CharField(
        label=_("Remarque"),
        required=False,
        max_length=300,
        help_text=_("Pourquoi cette règle existe, accord passé avec le partenaire…"),
    )

    class Meta:
        model = RoutingRule
        fields = [
            "subject",
            "organisation",
            "person",
            "priority",
            "regions",
            "departements",
            "communes",
            "naf_codes",
            "min_employees",
            "max_employees",
            "min_age_years",
            "max_age_years",
            "export_statuses",
            "is_active",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule = self.instance
        self.fields["subject"].queryset = Subject.objects.order_by("order", "label")
        organisations = Organisation.objects.filter(is_active=True)
        if rule.pk:
            organisations = organisations | Organisation.objects.filter(pk=rule.organisation_id)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["person"].queryset = (
            User.objects.filter(organisation__isnull=False)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )
        self.fields["regions"].queryset = Region.objects.order_by("name")
        self.fields["departements"].queryset = Departement.objects.order_by("code")
        if rule.pk and not self.is_bound:
            self.initial["communes"] = ", ".join(rule.communes or [])
            self.initial["naf_codes"] = ", ".join(rule.naf_codes.values_list("code", flat=True))

    def clean_communes(self):
        return parse_communes(self.cleaned_data["communes"])

    def clean_naf_codes(self):
        text = self.cleaned_data["naf_codes"]
        if not text.strip():
            return []
        return parse_naf_codes(text)

    def clean(self):
        data = super().clean()
        _check_range(
            self,
            "min_employees",
            "max_employees",
            _("L'effectif maximum doit être supérieur ou égal à l'effectif minimum."),
        )
        _check_range(
            self,
            "min_age_years",
            "max_age_years",
            _("L'âge maximum doit être supérieur ou égal à l'âge minimum."),
        )
        person, organisation = data.get("person"), data.get("organisation")
        if (
            person is not None
            and organisation is not None
            and (person.organisation_id != organisation.pk or not person.is_active)
        ):
            self.add_error(
                "person",
                _("%(person)s n'est pas un membre actif de %(organisation)s.")
                % {"person": person.get_full_name() or person.email, "organisation": organisation},
            )
        return data


class PreviewForm(DsfrBaseForm):
    """A company of the registry (SIREN or SIRET) or a postal code, and a subject."""

    identifier = forms.CharField(
        label=_("SIREN ou SIRET d'une entreprise du fichier"),
        required=False,
        max_length=20,
        help_text=_("9 chiffres (SIREN) ou 14 chiffres (SIRET d'un établissement)."),
    )
    postal_code = forms.CharField(
        label=_("… ou code postal (entreprise absente du fichier)"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    subject = forms.ModelChoiceField(
        label=_("Sujet de la demande"),
        queryset=Subject.objects.none(),
        to_field_name="code",
        empty_label=_("— Choisir un sujet —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.order_by("order", "label")
        self.company: Company | None = None
        self.establishment: Establishment | None = None

    def clean_identifier(self):
        value = re.sub(r"[\s.]", "", self.cleaned_data["identifier"])
        if not value:
            return ""
        if not value.isdigit() or len(value) not in (9, 14):
            raise ValidationError(
                _("Indiquez un SIREN (9 chiffres) ou un SIRET (14 chiffres)."), code="format"
            )
        if len(value) == 14:
            self.establishment = (
                Establishment.objects.select_related("company").filter(siret=value).first()
            )
            self.company = self.establishment.company if self.establishment else None
        else:
            self.company = Company.objects.filter(siren=value).first()
        if self.company is None:
            raise ValidationError(
                _(
                    "Aucune entreprise du fichier n'a le numéro %(value)s. Pour une entreprise "
                    "absente du fichier, indiquez plutôt son code postal."
                ),
                params={"value": value},
                code="unknown",
            )
        return value

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and departement_code_of_postal_code(value) not in departement_regions():
            raise ValidationError(
                _("Code postal inconnu : indiquez les 5 chiffres d'un code postal français."),
                code="bad_postal_code",
            )
        return value

    def clean(self):
        data = super().clean()
        identifier, postal_code = data.get("identifier"), data.get("postal_code")
        if "identifier" in self.errors or "postal_code" in self.errors:
            return data
        if not identifier and not postal_code:
            self.add_error(
                "identifier",
                _("Indiquez le SIREN ou le SIRET d'une entreprise, ou un code postal."),
            )
        elif identifier and postal_code:
            self.add_error(
                "postal_code",
                _("Indiquez soit un SIREN ou un SIRET, soit un code postal, pas les deux."),
            )
        return data


_DAY_FIELDS = ("first_answer_days", "escalation_day", "reroute_day", "abandon_day")


class PolicyForm(DsfrBaseForm, forms.ModelForm):
    """The service levels of the desk. The steps follow one another: first answer ≤ alert to
    the manager < re-routing to the fallback organisation < closure without answer."""

    fallback_organisation = forms.ModelChoiceField(
        label=_("Organisation de secours"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Aucune —"),
        help_text=_(
            "Elle reçoit les demandes qu'aucune règle ne couvre, celles que tous les "
            "partenaires ont refusées et celles restées sans réponse au jour de réorientation."
        ),
    )

    class Meta:
        model = DeskPolicy
        fields = [
            "first_answer_days",
            "escalation_day",
            "reroute_day",
            "abandon_day",
            "close_reminder_day",
            "survey_delay_days",
            "fallback_organisation",
            "desk_phone",
            "desk_email",
            "submissions_per_hour",
        ]
        help_texts = {
            "escalation_day": _("Le responsable de l'organisation est prévenu ce jour-là."),
            "abandon_day": _(
                "La demande est close et l'entreprise reçoit un courriel d'excuses qui donne "
                "le téléphone du guichet."
            ),
            "desk_phone": _(
                "Donné aux entreprises dans les courriels, par exemple 03 80 44 33 00."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(is_active=True)
        if self.instance.fallback_organisation_id:
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.fallback_organisation_id
            )
        self.fields["fallback_organisation"].queryset = organisations.order_by("name")
        for name in (*_DAY_FIELDS, "close_reminder_day", "submissions_per_hour"):
            self.fields[name].validators.append(
                MinValueValidator(1, message=_("Indiquez un nombre supérieur ou égal à 1."))
            )

    def clean_desk_phone(self):
        return phone_normalise(self.cleaned_data["desk_phone"])

    def clean(self):
        data = super().clean()
        first, escalation, reroute, abandon = (data.get(n) for n in _DAY_FIELDS)
        if None in (first, escalation, reroute, abandon):
            return data
        if escalation < first:
            self.add_error(
                "escalation_day",
                _(
                    "L'alerte au responsable ne peut pas précéder le délai de première réponse "
                    "(%(days)s jours ouvrés)."
                )
                % {"days": first},
            )
        if reroute <= escalation:
            self.add_error(
                "reroute_day",
                _("La réorientation doit venir après l'alerte au responsable (jour %(day)s).")
                % {"day": escalation},
            )
        if abandon <= reroute:
            self.add_error(
                "abandon_day",
                _("La clôture sans réponse doit venir après la réorientation (jour %(day)s).")
                % {"day": reroute},
            )
        return data


class SubjectForm(DsfrBaseForm, forms.ModelForm):
    """A subject companies choose; its code is made from the label at creation and never
    changes afterwards (rules, needs and partner websites refer to it)."""

    class Meta:
        model = Subject
        fields = ["label", "description", "order", "is_active"]
        labels = {
            "label": _("Libellé"),
            "description": _("Précision affichée sous le libellé"),
            "order": _("Ordre d'affichage"),
            "is_active": _("Proposé aux entreprises"),
        }
        help_texts = {
            "order": _("Les sujets sont proposés du plus petit au plus grand nombre."),
            "is_active": _(
                "Décoché : le sujet n'est plus proposé sur le formulaire public ; les demandes "
                "et les règles qui l'utilisent sont conservées."
            ),
        }

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        clash = Subject.objects.filter(label__iexact=label).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Un sujet porte déjà ce libellé."), code="duplicate")
        if not self.instance.pk and not slugify(label):
            raise ValidationError(
                _("Le libellé doit contenir au moins une lettre ou un chiffre."), code="empty"
            )
        return label

    def save(self, commit=True):
        subject = super().save(commit=False)
        if not subject.pk:
            subject.code = unique_subject_code(subject.label)
        if commit:
            subject.save()
        return subject


def unique_subject_code(label: str) -> str:
    max_length = Subject._meta.get_field("code").max_length
    base = slugify(label)[: max_length - 3].strip("-") or "sujet"
    code, n = base, 2
    while Subject.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


class RuleFilterForm(DsfrBaseForm):
    """Filters of the rule list (GET); an unknown value is reported and not applied."""

    sujet = forms.ChoiceField(label=_("Sujet"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Tous"))]
        self.fields["sujet"].choices = every + list(
            Subject.objects.order_by("order", "label").values_list("code", "label")
        )
        used = (
            Organisation.objects.filter(routing_rules__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["organisation"].choices = [("", _("Toutes")), *used]
        self.fields["departement"].choices = every + [
            (d.code, f"{d.code} – {d.name}") for d in Departement.objects.order_by("code")
        ]
        self.fields["departement"].help_text = _(
            "Les règles qui s'appliquent dans ce département, en tout ou partie."
        )

    def values(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data then holds the fields that are valid
            data = self.cleaned_data
        return {
            "subject": data.get("sujet", ""),
            "organisation": data.get("organisation", ""),
            "departement": data.get("departement", ""),
        }
