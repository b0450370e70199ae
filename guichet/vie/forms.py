"""Forms of V.I.E. missions and awareness sessions. The rules between fields (6 to 24 months,
one extension, costs, students and candidates) are the services'; their French messages are
shown on the fields."""

import re

from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from dsfr.forms import DsfrBaseForm

from guichet.aids.models import Application
from guichet.companies.models import Company, Filiere
from guichet.reference.models import Country, Departement
from guichet.vie import selectors
from guichet.vie.models import HiredWhere, SchoolLevel, VieMission

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SIREN = re.compile(r"^\d{9}$")


def _date_field(label: str, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=_DATE,
        help_text=help_text,
        error_messages={
            "required": f"Indiquez la date : {label.lower()}.",
            "invalid": "Date invalide (format JJ/MM/AAAA).",
        },
    )


class EurosField(forms.DecimalField):
    """A French amount: "4 100,50" as well as "4100.50"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


class DepartementField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} — {obj.name}"


def departements():
    """The région's départements first, then the others."""
    outside = Case(
        When(region_id=settings.GUICHET_REGION, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return Departement.objects.annotate(outside=outside).order_by("outside", "code")


def _year_choices(years: list[int], empty: str) -> list:
    return [("", empty)] + [(str(y), str(y)) for y in years]


class MissionFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label="Année de début",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Aucune mission ne commence cette année-là."},
    )
    country = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.none(),
        required=False,
        empty_label="Tous les pays",
        error_messages={"invalid_choice": "Aucune mission dans ce pays."},
    )
    filiere = forms.ModelChoiceField(
        label="Filière de l'entreprise",
        queryset=Filiere.objects.order_by("name"),
        required=False,
        empty_label="Toutes les filières",
        to_field_name="slug",
        error_messages={"invalid_choice": "Filière inconnue."},
    )
    status = forms.ChoiceField(
        label="Situation",
        required=False,
        choices=[("", "Toutes"), *selectors.STATUSES.items()],
        error_messages={"invalid_choice": "Situation inconnue."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(selectors.mission_years(), "Toutes")
        self.fields["country"].queryset = Country.objects.filter(
            iso2__in=VieMission.objects.values("country_id")
        ).order_by("sort_name")

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "year": data.get("year"),
            "country": data.get("country"),
            "filiere": data.get("filiere"),
            "status": data.get("status") or "",
        }


class MissionForm(DsfrBaseForm):
    siren = forms.CharField(
        label="SIREN de l'entreprise d'accueil",
        max_length=20,
        help_text="9 chiffres ; l'entreprise doit être dans le registre.",
        error_messages={"required": "Indiquez le SIREN de l'entreprise d'accueil."},
    )
    job_title = forms.CharField(
        label="Intitulé de la mission",
        max_length=200,
        help_text="Par exemple : développeur commercial Allemagne. Le volontaire n'est pas nommé.",
        error_messages={"required": "Indiquez l'intitulé de la mission."},
    )
    country = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.order_by("sort_name"),
        empty_label="Choisissez un pays",
        error_messages={
            "required": "Choisissez le pays de la mission.",
            "invalid_choice": "Pays inconnu.",
        },
    )
    city = forms.CharField(
        label="Ville",
        max_length=120,
        error_messages={"required": "Indiquez la ville de la mission."},
    )
    starts_on = _date_field("Début de la mission")
    ends_on = _date_field(
        "Fin prévue",
        help_text="De 6 à 24 mois : une mission du 1er mars au 31 août dure 6 mois.",
    )
    monthly_cost = EurosField(
        label="Coût mensuel pour l'entreprise (€)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Indemnité du volontaire et frais de gestion facturés par Business France.",
        error_messages={
            "required": "Indiquez le coût mensuel de la mission pour l'entreprise.",
            "invalid": "Indiquez un montant en euros (par exemple 3250 ou 3250,50).",
            "min_value": "Le coût mensuel ne peut pas être négatif.",
            "max_digits": "Le coût mensuel est trop élevé.",
            "max_decimal_places": "Le coût mensuel s'exprime en euros et centimes.",
            "max_whole_digits": "Le coût mensuel est trop élevé.",
        },
    )
    aid_reference = forms.CharField(
        label="Aide régionale liée (référence du dossier)",
        required=False,
        max_length=20,
        help_text="Facultatif. Par exemple AI26-4F7K2Q : un dossier d'aide de la même entreprise.",
    )

    field_order = [
        "siren",
        "job_title",
        "country",
        "city",
        "starts_on",
        "ends_on",
        "monthly_cost",
        "aid_reference",
    ]

    def __init__(self, *args, mission: VieMission | None = None, **kwargs):
        self.mission = mission
        if mission is not None:
            kwargs.setdefault(
                "initial",
                {
                    "job_title": mission.job_title,
                    "country": mission.country_id,
                    "city": mission.city,
                    "starts_on": mission.starts_on,
                    "ends_on": mission.ends_on,
                    "monthly_cost": mission.monthly_cost,
                    "aid_reference": mission.aid_application.reference
                    if mission.aid_application_id
                    else "",
                },
            )
        super().__init__(*args, **kwargs)
        if mission is not None:
            del self.fields["siren"]

    def clean_siren(self) -> Company:
        siren = "".join(self.cleaned_data["siren"].split())
        if not _SIREN.match(siren):
            raise forms.ValidationError("Le SIREN compte exactement 9 chiffres.")
        company = Company.objects.filter(siren=siren).first()
        if company is None:
            raise forms.ValidationError(f"Aucune entreprise de SIREN {siren} dans le registre.")
        return company

    def clean_aid_reference(self) -> Application | None:
        reference = self.cleaned_data["aid_reference"].strip().upper()
        if not reference:
            return None
        application = (
            Application.objects.select_related("company").filter(reference=reference).first()
        )
        if application is None:
            raise forms.ValidationError(f"Aucun dossier d'aide de référence {reference}.")
        return application

    @property
    def company(self) -> Company | None:
        if self.mission is not None:
            return self.mission.company
        return self.cleaned_data.get("siren")

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "job_title": data["job_title"],
            "country": data["country"],
            "city": data["city"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "monthly_cost": data["monthly_cost"],
            "aid_application": data["aid_reference"],
        }


class ExtendForm(DsfrBaseForm):
    until = _date_field(
        "Nouvelle date de fin",
        help_text="Une seule prolongation, et 24 mois au plus depuis le début de la mission.",
    )
    prefix = "prolongation"


class OutcomeForm(DsfrBaseForm):
    hired = forms.ChoiceField(
        label="Le volontaire a-t-il été embauché à l'issue de la mission ?",
        choices=[("yes", "Oui"), ("no", "Non")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez si le volontaire a été embauché.",
            "invalid_choice": "Répondez oui ou non.",
        },
    )
    hired_where = forms.ChoiceField(
        label="Embauché où ?",
        required=False,
        choices=[("", "— Si embauché —"), *HiredWhere.choices],
        error_messages={"invalid_choice": "Choisissez un lieu dans la liste."},
    )
    note = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=300,
        help_text="Par exemple : recruté comme responsable de zone. Ne nommez pas le volontaire.",
    )
    prefix = "issue"

    def __init__(self, *args, mission: VieMission | None = None, **kwargs):
        if mission is not None and mission.hired is not None:
            kwargs.setdefault(
                "initial",
                {
                    "hired": "yes" if mission.hired else "no",
                    "hired_where": mission.hired_where,
                    "note": mission.outcome_note,
                },
            )
        super().__init__(*args, **kwargs)

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "hired": data["hired"] == "yes",
            "hired_where": data["hired_where"],
            "note": data["note"],
        }


class SessionFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Aucune session cette année-là."},
    )
    level = forms.ChoiceField(
        label="Niveau",
        required=False,
        choices=[("", "Tous les niveaux"), *SchoolLevel.choices],
        error_messages={"invalid_choice": "Niveau inconnu."},
    )
    departement = DepartementField(
        label="Département",
        queryset=Departement.objects.none(),
        required=False,
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Département inconnu."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(selectors.session_years(), "Toutes")
        self.fields["departement"].queryset = departements()

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "year": data.get("year"),
            "level": data.get("level") or "",
            "departement": data.get("departement"),
        }


class SessionForm(DsfrBaseForm):
    school = forms.CharField(
        label="Établissement",
        max_length=200,
        help_text="Par exemple : Lycée Carnot, Dijon — BTS Commerce international.",
        error_messages={"required": "Indiquez l'établissement."},
    )
    level = forms.ChoiceField(
        label="Niveau des étudiants",
        choices=[("", "Choisissez un niveau"), *SchoolLevel.choices],
        error_messages={
            "required": "Choisissez le niveau des étudiants.",
            "invalid_choice": "Niveau inconnu.",
        },
    )
    held_on = _date_field("Date de la session")
    departement = DepartementField(
        label="Département",
        queryset=Departement.objects.none(),
        required=False,
        empty_label="Choisissez un département",
        error_messages={"invalid_choice": "Département inconnu."},
    )
    speakers = forms.CharField(
        label="Intervenants",
        required=False,
        max_length=300,
        help_text="Leur qualité plutôt que leur nom : CCE, conseiller CCI, ancien V.I.E.…",
    )
    students = forms.IntegerField(
        label="Nombre d'étudiants présents",
        min_value=1,
        error_messages={
            "required": "Indiquez le nombre d'étudiants présents.",
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Une session réunit au moins un étudiant.",
        },
    )
    vie_candidates = forms.IntegerField(
        label="Candidats à la plateforme V.I.E. (si connu)",
        required=False,
        min_value=0,
        help_text="Étudiants inscrits ensuite sur la plateforme V.I.E. de Business France.",
        error_messages={
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Le nombre de candidats ne peut pas être négatif.",
        },
    )

    def __init__(self, *args, session=None, **kwargs):
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "school": session.school,
                    "level": session.level,
                    "held_on": session.held_on,
                    "departement": session.departement_id,
                    "speakers": session.speakers,
                    "students": session.students,
                    "vie_candidates": session.vie_candidates,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements()

    def fields_for_service(self) -> dict:
        return dict(self.cleaned_data)
