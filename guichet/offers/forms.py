"""Forms of the catalogue: the advisors' filters and the offer form of a partner."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.models import ExportStatus, Filiere, SizeCategory
from guichet.offers import permissions
from guichet.offers.models import Offer, OfferKind
from guichet.offers.services import dimension_choices, stage_choices
from guichet.partners.models import Organisation
from guichet.reference.models import Region

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(label, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, **kwargs)


class CatalogueFilterForm(DsfrBaseForm):
    """Filters of the catalogue. An offer without an audience restriction suits every stage,
    size and filière, so it stays in the list whatever is chosen there."""

    q = forms.CharField(
        label=_("Rechercher une offre"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = _choice(
        _("Type d'offre"),
        choices=[("", _("Tous les types")), *OfferKind.choices],
        error_messages={"invalid_choice": _("Type d'offre inconnu : « %(value)s ».")},
    )
    provider = _choice(
        _("Organisme"),
        error_messages={"invalid_choice": _("Organisme inconnu : « %(value)s ».")},
    )
    stage = _choice(
        _("Étape du parcours"),
        error_messages={"invalid_choice": _("Étape inconnue : « %(value)s ».")},
    )
    size = _choice(
        _("Taille d'entreprise"),
        choices=[("", _("Toutes les tailles")), *SizeCategory.choices],
        error_messages={"invalid_choice": _("Taille d'entreprise inconnue : « %(value)s ».")},
    )
    filiere = _choice(
        _("Filière"),
        error_messages={"invalid_choice": _("Filière inconnue : « %(value)s ».")},
    )
    current = forms.BooleanField(label=_("Valables aujourd'hui uniquement"), required=False)
    withdrawn = forms.BooleanField(
        label=_("Offres retirées du catalogue (au lieu des offres publiées)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(offers__isnull=False).distinct().order_by("name")
        self.fields["provider"].choices = [("", _("Tous les organismes"))] + [
            (o.slug, o.name) for o in providers
        ]
        self.fields["stage"].choices = [("", _("Toutes les étapes")), *stage_choices()]
        self.fields["filiere"].choices = [("", _("Toutes les filières"))] + [
            (f.slug, f.name) for f in Filiere.objects.order_by("name")
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class _CheckboxCodes(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class OfferForm(DsfrBaseForm):
    """The offer as its provider describes it; the service checks the rules between fields
    (dates, bounds, codes) and its French messages are shown on the fields."""

    provider = forms.ModelChoiceField(
        label=_("Organisme qui propose l'offre"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choisissez un organisme"),
        error_messages={"required": _("Choisissez l'organisme qui propose l'offre.")},
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        error_messages={"required": _("Indiquez l'intitulé de l'offre.")},
    )
    kind = forms.ChoiceField(
        label=_("Type d'offre"),
        choices=[("", _("Choisissez un type")), *OfferKind.choices],
        error_messages={"required": _("Choisissez le type d'offre.")},
    )
    summary = forms.CharField(
        label=_("En une phrase"),
        max_length=300,
        help_text=_("Ce que l'entreprise y gagne, lu dans le catalogue et dans le guide."),
        error_messages={"required": _("Résumez l'offre en une phrase.")},
    )
    description = forms.CharField(
        label=_("Ce que l'offre apporte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Contenu, déroulement, conditions, montants."),
    )
    stages = _CheckboxCodes(
        label=_("Étapes du parcours visées"),
        required=False,
        help_text=_("Aucune case cochée : toutes les étapes."),
    )
    sizes = _CheckboxCodes(
        label=_("Tailles d'entreprise"),
        required=False,
        choices=SizeCategory.choices,
        help_text=_("Aucune case cochée : toutes les tailles."),
    )
    export_statuses = _CheckboxCodes(
        label=_("Statuts export"),
        required=False,
        choices=ExportStatus.choices,
        help_text=_("Aucune case cochée : tous les statuts."),
    )
    filieres = forms.ModelMultipleChoiceField(
        label=_("Filières"),
        required=False,
        queryset=Filiere.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les filières."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Régions d'implantation"),
        required=False,
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les régions."),
    )
    min_employees = forms.IntegerField(label=_("Effectif minimum"), required=False, min_value=0)
    max_employees = forms.IntegerField(label=_("Effectif maximum"), required=False, min_value=0)
    min_age_years = forms.IntegerField(
        label=_("Âge minimum de l'entreprise (ans)"), required=False, min_value=0, max_value=200
    )
    max_age_years = forms.IntegerField(
        label=_("Âge maximum de l'entreprise (ans)"), required=False, min_value=0, max_value=200
    )
    dimensions = _CheckboxCodes(
        label=_("Dimensions du diagnostic traitées"),
        required=False,
        help_text=_(
            "Le plan d'action d'un diagnostic recommande l'offre quand l'entreprise obtient un "
            "score faible sur l'une d'elles."
        ),
    )
    cost_to_company = forms.CharField(
        label=_("Coût pour l'entreprise"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : gratuit, 50 % des frais, 1 200 € HT."),
    )
    public_funding = forms.CharField(
        label=_("Financement public"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : Région 50 %, plafond 8 000 €."),
    )
    link = forms.CharField(
        label=_("Lien vers la page de l'offre"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text=_("Adresse complète, par exemple https://www.example.fr/offre."),
    )
    contact_email = forms.CharField(
        label=_("Courriel de contact"),
        required=False,
        max_length=254,
        widget=forms.EmailInput,
        help_text=_("Une adresse de service (export@…), pas celle d'une personne."),
    )
    contact_phone = forms.CharField(label=_("Téléphone de contact"), required=False, max_length=30)
    valid_from = forms.DateField(
        label=_("Valable du"),
        required=False,
        widget=_DATE,
        error_messages={"invalid": _("Date invalide : format JJ/MM/AAAA attendu.")},
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=_DATE,
        error_messages={"invalid": _("Date invalide : format JJ/MM/AAAA attendu.")},
    )

    def __init__(self, *args, user, offer: Offer | None = None, **kwargs):
        if offer is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(offer)
        super().__init__(*args, **kwargs)
        self.offer = offer
        providers = permissions.provider_choices(user)
        if offer is not None and not providers.filter(pk=offer.provider_id).exists():
            providers = providers | Organisation.objects.filter(pk=offer.provider_id)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()
        self.fields["stages"].choices = stage_choices()
        self.fields["dimensions"].choices = dimension_choices()
        for name in ("valid_from", "valid_until"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("filieres", "regions"):
            data[name] = list(data[name])
        return data


def initial_of(offer: Offer) -> dict:
    return {
        "provider": offer.provider_id,
        "title": offer.title,
        "kind": offer.kind,
        "summary": offer.summary,
        "description": offer.description,
        "stages": offer.stages,
        "sizes": offer.sizes,
        "export_statuses": offer.export_statuses,
        "filieres": list(offer.filieres.all()),
        "regions": list(offer.regions.all()),
        "min_employees": offer.min_employees,
        "max_employees": offer.max_employees,
        "min_age_years": offer.min_age_years,
        "max_age_years": offer.max_age_years,
        "dimensions": offer.dimensions,
        "cost_to_company": offer.cost_to_company,
        "public_funding": offer.public_funding,
        "link": offer.link,
        "contact_email": offer.contact_email,
        "contact_phone": offer.contact_phone,
        "valid_from": offer.valid_from,
        "valid_until": offer.valid_until,
    }
