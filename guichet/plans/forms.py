"""Forms of the plan's editing pages and of the indicator library. The rules between fields
(reserved identifiers, unique codes, breakdowns a computation allows, the plan's years) are the
services'; their French messages are shown on the fields."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from guichet.core.permissions import is_platform_admin
from guichet.partners.models import Organisation
from guichet.plans import computations, permissions
from guichet.plans.models import Axis, Breakdown, Direction, LibraryFamily, Measure, Plan

MANUAL = "Saisie manuelle"
_NUMBER_HELP = "Par exemple 150 ou 12,5."


class FrenchDecimalField(forms.DecimalField):
    """A French number: "1 250,5" as well as "1250.5"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def plain_number(value) -> str:
    """12.50 → "12,5", 100.00 → "100": how a figure is typed back into a form."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _decimal(label: str, *, required=False, help_text=_NUMBER_HELP) -> FrenchDecimalField:
    return FrenchDecimalField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=2,
        min_value=0,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": f"Indiquez le champ « {label} ».",
            "invalid": "Indiquez un nombre (par exemple 150 ou 12,5).",
            "max_digits": "Ce nombre est trop grand.",
            "max_decimal_places": "Deux décimales au plus.",
            "max_whole_digits": "Ce nombre est trop grand.",
            "min_value": "Indiquez un nombre positif ou nul.",
        },
    )


def _year(label: str, *, required=True, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Indiquez le champ « {label} ».",
            "invalid": "Indiquez une année sur quatre chiffres (par exemple 2024).",
        },
    )


def _year_choice(label: str, years: list[int]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(year, str(year)) for year in years],
        error_messages={
            "required": "Choisissez l'année.",
            "invalid_choice": "Choisissez une des années proposées.",
        },
    )


def _char(label, *, max_length, required=True, help_text="", textarea=False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=None if textarea else max_length,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else None,
        error_messages={
            "required": f"Indiquez le champ « {label} ».",
            "max_length": f"« {label} » : {max_length} caractères au plus.",
        },
    )


def _organisations(current=None):
    """Active organisations, and the current one even if it has closed since."""
    condition = Q(is_active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Organisation.objects.filter(condition).order_by("name")


def _organisation_field(label, *, required, empty, help_text="") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        required=required,
        empty_label=empty,
        help_text=help_text,
        error_messages={
            "required": f"Choisissez le champ « {label} ».",
            "invalid_choice": "Organisation inconnue.",
        },
    )


class _ServiceForm(DsfrBaseForm):
    """Forms whose cleaned data go to a service as keyword arguments."""

    service_fields: tuple[str, ...] = ()

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.service_fields}

    @classmethod
    def initial_from(cls, instance) -> dict:
        """The service fields' current values on ``instance`` (a foreign key as its id)."""
        return {
            name: getattr(instance, instance._meta.get_field(name).attname)
            for name in cls.service_fields
        }


# --- plan --------------------------------------------------------------------------------------


class PlanForm(_ServiceForm):
    slug = forms.CharField(
        label="Identifiant",
        max_length=60,
        help_text="L'adresse du plan : minuscules sans accents, chiffres et tirets (par exemple "
        "parex-2). Il ne change plus ensuite.",
        error_messages={
            "required": "Indiquez l'identifiant du plan (par exemple parex-2).",
            "max_length": "L'identifiant fait 60 caractères au plus.",
        },
    )
    name = _char("Nom du plan", max_length=200, help_text="Par exemple : PAREX 2.")
    description = _char("Description", max_length=5000, required=False, textarea=True)
    first_year = _year("Première année")
    last_year = _year("Dernière année")
    owner = _organisation_field(
        "Organisation pilote",
        required=True,
        empty="Choisissez une organisation",
        help_text="Ses responsables modifient le plan, ses cibles et ses indicateurs.",
    )
    service_fields = ("name", "description", "first_year", "last_year", "owner")

    def __init__(self, *args, user, plan: Plan | None = None, **kwargs):
        if plan is not None:
            kwargs.setdefault("initial", self.initial_from(plan))
        super().__init__(*args, **kwargs)
        current = plan.owner if plan is not None else None
        if is_platform_admin(user):
            self.fields["owner"].queryset = _organisations(current)
        else:
            # A manager pilots the plans of their own organisation.
            self.fields["owner"].queryset = Organisation.objects.filter(pk=user.organisation_id)
            self.fields["owner"].empty_label = None
        if plan is not None:
            del self.fields["slug"]
        elif not self.is_bound and user.organisation_id:
            self.initial.setdefault("owner", user.organisation_id)

    def fields_for_service(self) -> dict:
        values = super().fields_for_service()
        if "slug" in self.fields:
            values["slug"] = self.cleaned_data.get("slug")
        return values


# --- axes and measures -------------------------------------------------------------------------


class AxisForm(_ServiceForm):
    number = forms.IntegerField(
        label="Numéro",
        error_messages={
            "required": "Indiquez le numéro de l'axe.",
            "invalid": "Le numéro est un nombre entier.",
        },
    )
    title = _char("Intitulé", max_length=200)
    description = _char("Description", max_length=5000, required=False, textarea=True)
    service_fields = ("number", "title", "description")

    def __init__(self, *args, axis: Axis | None = None, **kwargs):
        if axis is not None:
            kwargs.setdefault("initial", self.initial_from(axis))
        super().__init__(*args, **kwargs)


class MeasureForm(_ServiceForm):
    axis = forms.ModelChoiceField(
        label="Axe",
        queryset=Axis.objects.none(),
        empty_label="Choisissez un axe",
        error_messages={
            "required": "Choisissez l'axe de la mesure.",
            "invalid_choice": "Choisissez un des axes du plan.",
        },
    )
    number = forms.IntegerField(
        label="Numéro",
        help_text="Les mesures sont numérotées dans tout le plan (de 1 à 11 pour PAREX 2).",
        error_messages={
            "required": "Indiquez le numéro de la mesure.",
            "invalid": "Le numéro est un nombre entier.",
        },
    )
    title = _char("Intitulé", max_length=200)
    description = _char("Description", max_length=5000, required=False, textarea=True)
    lead = _organisation_field(
        "Partenaire chef de file", required=False, empty="Aucun chef de file désigné"
    )
    service_fields = ("axis", "number", "title", "description", "lead")

    def __init__(self, *args, plan: Plan, measure: Measure | None = None, **kwargs):
        if measure is not None:
            kwargs.setdefault("initial", self.initial_from(measure))
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = Axis.objects.filter(plan=plan).order_by("number")
        self.fields["lead"].queryset = _organisations(measure.lead if measure else None)


class MeasureReportForm(DsfrBaseForm):
    year = _year_choice("Année", [])
    text = _char(
        "Ce qui a été fait dans l'année",
        max_length=20000,
        required=False,
        textarea=True,
        help_text="Le texte du bilan annuel pour cette mesure. Laissé vide, il est retiré.",
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]
        self.fields["text"].widget.attrs["rows"] = 10


# --- indicators --------------------------------------------------------------------------------


def computation_choices() -> list[tuple[str, str]]:
    return [("", MANUAL), *computations.choices()]


class IndicatorForm(_ServiceForm):
    measure = forms.ModelChoiceField(
        label="Mesure",
        queryset=Measure.objects.none(),
        empty_label="Choisissez une mesure",
        error_messages={
            "required": "Choisissez la mesure de l'indicateur.",
            "invalid_choice": "Choisissez une des mesures du plan.",
        },
    )
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="Unique dans le plan, il figure dans l'adresse de l'indicateur (par exemple "
        "1.1 ou M3-b).",
        error_messages={
            "required": "Indiquez le code de l'indicateur (par exemple 1.1).",
            "max_length": "Le code fait 20 caractères au plus.",
        },
    )
    name = _char("Intitulé", max_length=300)
    definition = _char(
        "Définition",
        max_length=5000,
        required=False,
        textarea=True,
        help_text="Ce qui est compté, et comment.",
    )
    computation = forms.ChoiceField(
        label="Mode de calcul",
        required=False,
        help_text="Un calcul automatique à partir des enregistrements de la plateforme, ou une "
        "valeur saisie à la main chaque année (avec sa période et sa source).",
        error_messages={"invalid_choice": "Choisissez un des calculs proposés."},
    )
    breakdowns = forms.MultipleChoiceField(
        label="Ventilations permises",
        required=False,
        choices=Breakdown.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Seulement pour un calcul automatique, et selon ce que ses enregistrements "
        "permettent (voir le tableau des calculs).",
        error_messages={"invalid_choice": "Ventilation inconnue."},
    )
    unit = _char(
        "Unité",
        max_length=40,
        required=False,
        help_text="Par exemple : entreprises, €, %. Vide : l'unité du calcul choisi.",
    )
    direction = forms.ChoiceField(
        label="Sens",
        choices=Direction.choices,
        initial=Direction.UP,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le sens de l'indicateur.",
            "invalid_choice": "Choisissez le sens de l'indicateur.",
        },
    )
    owner = _organisation_field(
        "Partenaire responsable",
        required=False,
        empty="Aucun partenaire désigné",
        help_text="Ses membres saisissent les valeurs d'un indicateur à saisie manuelle.",
    )
    baseline = _decimal("Valeur de référence")
    baseline_year = _year("Année de référence", required=False)
    order = forms.IntegerField(
        label="Ordre dans la mesure",
        required=False,
        min_value=0,
        max_value=999,
        error_messages={
            "invalid": "L'ordre est un nombre entier.",
            "min_value": "L'ordre est un nombre entier de 0 à 999.",
            "max_value": "L'ordre est un nombre entier de 0 à 999.",
        },
    )
    service_fields = (
        "measure",
        "code",
        "name",
        "definition",
        "computation",
        "breakdowns",
        "unit",
        "direction",
        "owner",
        "baseline",
        "baseline_year",
        "order",
    )

    def __init__(self, *args, plan: Plan, indicator=None, measure=None, **kwargs):
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                self.initial_from(indicator)
                | {
                    "baseline": plain_number(indicator.baseline)
                    if indicator.baseline is not None
                    else None,
                },
            )
        elif measure is not None:
            kwargs.setdefault("initial", {"measure": measure.pk, "owner": plan.owner_id})
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(plan=plan).order_by("number")
        self.fields["owner"].queryset = _organisations(indicator.owner if indicator else None)
        choices = computation_choices()
        current = indicator.computation if indicator is not None else ""
        if current and current not in dict(choices):
            choices.append((current, f"{current} (calcul absent de la bibliothèque)"))
        self.fields["computation"].choices = choices

    def fields_for_service(self) -> dict:
        values = super().fields_for_service()
        values["computation"] = values["computation"] or ""
        values["breakdowns"] = values["breakdowns"] or []
        values["order"] = values["order"] or 0
        return values


class TargetsForm(DsfrBaseForm):
    """One field per year of the plan; empty = no target that year."""

    def __init__(self, *args, indicator, **kwargs):
        targets = {t.year: plain_number(t.value) for t in indicator.targets.all()}
        kwargs.setdefault(
            "initial", {f"target_{year}": targets.get(year) for year in indicator.plan.years}
        )
        super().__init__(*args, **kwargs)
        unit = f" ({indicator.unit})" if indicator.unit else ""
        for year in indicator.plan.years:
            self.fields[f"target_{year}"] = _decimal(
                f"Cible {year}{unit}", help_text="Vide : pas de cible cette année."
            )

    def values(self) -> dict[int, object]:
        return {int(name.removeprefix("target_")): v for name, v in self.cleaned_data.items()}


class ManualValueForm(_ServiceForm):
    year = _year_choice("Année", [])
    period = _char(
        "Période",
        max_length=60,
        required=False,
        help_text="Ce que la valeur couvre, par exemple « année civile » ou « 1er semestre ».",
    )
    value = _decimal("Valeur", required=True)
    source = _char(
        "Source",
        max_length=300,
        help_text="D'où vient le chiffre : enquête, rapport d'activité, douanes…",
    )
    service_fields = ("year", "period", "value", "source")

    def __init__(self, *args, indicator, today, **kwargs):
        super().__init__(*args, **kwargs)
        years = [y for y in indicator.plan.years if y <= today.year]
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]
        if indicator.unit:
            self.fields["value"].label = f"Valeur ({indicator.unit})"


# --- library -----------------------------------------------------------------------------------

SORTS = {
    "pertinence": "Pertinence (la plus forte d'abord)",
    "acces": "Accès à la donnée (le plus facile d'abord)",
    "famille": "Famille puis ordre de la bibliothèque",
}


class LibraryFilterForm(DsfrBaseForm):
    famille = forms.ChoiceField(
        label="Famille",
        required=False,
        choices=[("", "Toutes les familles"), *LibraryFamily.choices],
        error_messages={"invalid_choice": "Famille inconnue."},
    )
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "Tri inconnu."},
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"family": data.get("famille") or "", "sort": data.get("tri") or "pertinence"}


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.plan.name} — mesure {obj.number} : {obj.title}"


class LibraryPickForm(DsfrBaseForm):
    measure = MeasureChoiceField(
        label="Mesure du plan",
        queryset=Measure.objects.none(),
        empty_label="Choisissez une mesure",
        error_messages={
            "required": "Choisissez la mesure qui reçoit l'indicateur.",
            "invalid_choice": "Choisissez une des mesures proposées.",
        },
    )
    code = forms.CharField(
        label="Code",
        max_length=20,
        required=False,
        help_text="Vide : le code suivant de la mesure (par exemple 3.2).",
        error_messages={"max_length": "Le code fait 20 caractères au plus."},
    )

    def __init__(self, *args, user, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        editable = [p.pk for p in Plan.objects.all() if permissions.can_edit_plan(user, p)]
        if plan is not None:
            editable = [pk for pk in editable if pk == plan.pk]
        self.fields["measure"].queryset = (
            Measure.objects.filter(plan_id__in=editable)
            .select_related("plan")
            .order_by("plan__name", "number")
        )
