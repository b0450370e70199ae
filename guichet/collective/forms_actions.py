"""Forms of the programme and its actions. Field names are the service's, so that its French
refusals land on the field concerned; the rules between fields are the service's
(guichet.collective.services.actions). Lists (eligible costs, preparation steps, reminders)
are typed one item per line — no JavaScript needed."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from dsfr.forms import DsfrBaseForm

from guichet.collective.models import ActionKind, ActionRegime, CollectiveAction, Programme
from guichet.collective.services.actions import DEFAULT_CHECKLIST
from guichet.companies.models import Filiere
from guichet.partners.models import Organisation
from guichet.reference.models import Country

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


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


def _french_number(text: str) -> str:
    return _NUMBER_SPACES.sub("", str(text)).replace(",", ".")


def amount_text(value) -> str:
    """9000 → "9000", 1250.5 → "1250,50": how an amount is typed back into a field."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{amount:.0f}"
    return f"{amount:.2f}".replace(".", ",")


class EurosField(forms.DecimalField):
    """A French amount: "4 100,50" as well as "4100.50" (a text box: a number box refuses
    the spaces and, in some browsers, the comma)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, label: str, required=True, help_text=""):
        super().__init__(
            label=label,
            required=required,
            max_digits=12,
            decimal_places=2,
            help_text=help_text,
            error_messages={
                "required": f"Indiquez le montant : {label.lower()}.",
                "invalid": "Indiquez un montant en euros (par exemple 4000 ou 4000,50).",
                "max_digits": "Le montant est trop élevé.",
                "max_whole_digits": "Le montant est trop élevé.",
                "max_decimal_places": "Le montant s'exprime en euros et centimes.",
            },
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = _french_number(value)
        return super().to_python(value)


class PercentField(forms.DecimalField):
    """Typed in percent (50 or 50,5), returned as a fraction (0.5, 0.505)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = _french_number(value).rstrip("%")
        return super().to_python(value)

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else percent / 100


class LinesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


class CostLinesField(forms.CharField):
    """One eligible cost per line: "label ; amount"."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value) -> list[dict]:
        text = super().to_python(value) or ""
        lines, problems = [], []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            separator = ";" if ";" in raw else ":"
            label, found, amount = raw.rpartition(separator)
            try:
                value = Decimal(_french_number(amount).removesuffix("€"))
            except InvalidOperation:
                value = None
            if not found or value is None:
                problems.append(
                    f"Ligne {number} (« {raw.strip()[:60]} ») : écrivez « libellé ; montant », "
                    "par exemple « Location du stand ; 6000 »."
                )
            else:
                lines.append({"label": " ".join(label.split()), "amount": str(value)})
        if problems:
            raise forms.ValidationError(problems)
        return lines


class DaysField(forms.CharField):
    """Reminder days before the action: "14, 3"."""

    def to_python(self, value) -> list[int]:
        text = super().to_python(value) or ""
        days = []
        for part in re.split(r"[\s,;]+", text.strip()):
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(
                    f"« {part} » : indiquez des nombres de jours séparés par des virgules "
                    "(par exemple 14, 3)."
                )
            days.append(int(part))
        return days


class ActionForm(DsfrBaseForm):
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=Programme.objects.order_by("-year"),
        to_field_name="year",
        empty_label="Choisissez le programme",
        error_messages={
            "required": "Choisissez le programme de l'action.",
            "invalid_choice": "Programme inconnu.",
        },
    )
    organiser = forms.ModelChoiceField(
        label="Organisateur",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choisissez l'organisme",
        error_messages={
            "required": "Choisissez l'organisme qui organise l'action.",
            "invalid_choice": "Organisme inconnu.",
        },
    )
    kind = forms.ChoiceField(
        label="Type d'action",
        choices=[("", "Choisissez le type"), *ActionKind.choices],
        error_messages={
            "required": "Choisissez le type d'action.",
            "invalid_choice": "Type d'action inconnu.",
        },
    )
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple : SIAL Paris — pavillon régional.",
        error_messages={"required": "Indiquez l'intitulé de l'action."},
    )
    slug = forms.CharField(
        label="Identifiant court",
        required=False,
        max_length=90,
        help_text="Il figure dans l'adresse de la page publique et ne change plus ensuite. "
        "Laissé vide, il est tiré de l'intitulé et de l'année.",
    )
    series = forms.CharField(
        label="Série",
        required=False,
        max_length=60,
        help_text="Le même salon d'une année sur l'autre (par exemple sial) : la limite de "
        "participations subventionnées se compte sur la série.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = _date_field("Début")
    ends_on = _date_field("Fin")
    city = forms.CharField(
        label="Ville", max_length=120, error_messages={"required": "Indiquez la ville."}
    )
    country = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.order_by("sort_name"),
        empty_label="Choisissez un pays",
        error_messages={"required": "Choisissez le pays.", "invalid_choice": "Pays inconnu."},
    )
    filieres = forms.ModelMultipleChoiceField(
        label="Filières",
        queryset=Filiere.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Filière inconnue."},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires associés",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Organisme inconnu."},
    )
    capacity = forms.IntegerField(
        label="Nombre de places",
        error_messages={
            "required": "Indiquez le nombre de places.",
            "invalid": "Indiquez un nombre entier de places.",
        },
    )
    selection_criteria = forms.CharField(
        label="Critères de sélection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    registration_deadline = _date_field("Date limite d'inscription")
    free_cancellation_until = _date_field("Annulation sans frais jusqu'au", required=False)
    cancellation_rules = forms.CharField(
        label="Conditions d'annulation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    full_cost = EurosField(label="Coût complet par entreprise (€)")
    company_fee = EurosField(label="Participation demandée à l'entreprise (€)")
    eligible_costs = CostLinesField(
        label="Coûts admissibles par entreprise",
        required=False,
        help_text="Une ligne par coût : « libellé ; montant », par exemple « Location et "
        "aménagement du stand ; 6000 ». Leur total ne dépasse pas le coût complet.",
    )
    subsidy_rate = PercentField(
        label="Taux de prise en charge (%)",
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text="Appliqué aux coûts admissibles ; 50 % au plus sous le RGEC art. 19.",
        error_messages={
            "invalid": "Indiquez un pourcentage (par exemple 50).",
            "max_digits": "Le taux est compris entre 0 et 100 %.",
            "max_whole_digits": "Le taux est compris entre 0 et 100 %.",
            "max_decimal_places": "Deux décimales au plus.",
        },
    )
    subsidy_cap = EurosField(label="Plafond de prise en charge par entreprise (€)", required=False)
    subsidised_participations_limit = forms.IntegerField(
        label="Participations subventionnées par entreprise dans la série",
        required=False,
        help_text="Par exemple 3 : seules les trois premières participations sont aidées.",
        error_messages={"invalid": "Indiquez un nombre entier."},
    )
    regime = forms.ChoiceField(
        label="Régime de l'aide",
        choices=[("", "Choisissez le régime"), *ActionRegime.choices],
        help_text="RGEC art. 19 pour les salons ; de minimis pour les autres actions.",
        error_messages={
            "required": "Choisissez le régime de l'aide.",
            "invalid_choice": "Régime inconnu.",
        },
    )
    budget = EurosField(label="Budget public de l'action (€)", required=False)
    reminder_days = DaysField(
        label="Rappels avant l'action (jours)",
        required=False,
        max_length=40,
        help_text="Par exemple « 14, 3 » : un rappel 14 jours puis 3 jours avant.",
    )
    checklist = LinesField(
        label="Préparation en amont (une étape par ligne)",
        required=False,
        help_text="Les étapes que le conseiller de chaque participant coche.",
    )

    def __init__(
        self,
        *args,
        action: CollectiveAction | None = None,
        admin=False,
        organiser_id=None,
        **kwargs,
    ):
        self.action = action
        if action is not None:
            kwargs.setdefault("initial", initial_of(action))
        else:
            kwargs.setdefault("initial", {}).setdefault("checklist", "\n".join(DEFAULT_CHECKLIST))
        super().__init__(*args, **kwargs)
        if action is not None:
            for name in ("programme", "slug", "organiser"):
                del self.fields[name]
        elif not admin:
            del self.fields["organiser"]
        own = action.organiser_id if action is not None else organiser_id
        if own is not None:
            self.fields["partners"].queryset = Organisation.objects.exclude(pk=own).order_by("name")

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("programme", None)
        data.pop("organiser", None)
        if data.get("budget") is None:
            data["budget"] = Decimal("0")
        if data.get("subsidy_rate") is None:
            data["subsidy_rate"] = Decimal("0")
        return data


def initial_of(action: CollectiveAction) -> dict:
    rate = (Decimal(action.subsidy_rate) * 100).normalize()
    return {
        "kind": action.kind,
        "title": action.title,
        "series": action.series,
        "description": action.description,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "city": action.city,
        "country": action.country_id,
        "filieres": [f.pk for f in action.filieres.all()],
        "partners": [p.pk for p in action.partners.all()],
        "capacity": action.capacity,
        "selection_criteria": action.selection_criteria,
        "registration_deadline": action.registration_deadline,
        "free_cancellation_until": action.free_cancellation_until,
        "cancellation_rules": action.cancellation_rules,
        "full_cost": amount_text(action.full_cost),
        "company_fee": amount_text(action.company_fee),
        "eligible_costs": "\n".join(
            f"{line['label']} ; {amount_text(line['amount'])}"
            for line in action.eligible_costs or []
        ),
        "subsidy_rate": f"{rate:f}".replace(".", ","),
        "subsidy_cap": amount_text(action.subsidy_cap) if action.subsidy_cap is not None else "",
        "subsidised_participations_limit": action.subsidised_participations_limit,
        "regime": action.regime,
        "budget": amount_text(action.budget),
        "reminder_days": ", ".join(str(d) for d in action.reminder_days or []),
        "checklist": "\n".join(item.label for item in action.checklist.all()),
    }


class ProgrammeForm(DsfrBaseForm):
    title = forms.CharField(
        label="Intitulé du programme",
        max_length=200,
        error_messages={"required": "Indiquez l'intitulé du programme."},
    )
    introduction = forms.CharField(
        label="Présentation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Quelques lignes en tête de la page publique et du PDF.",
    )
    is_published = forms.BooleanField(
        label="Publier le programme",
        required=False,
        help_text="La page publique, le calendrier, le PDF et le flux iCalendar montrent alors "
        "les actions publiées de l'année.",
    )


class CancelForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Il est indiqué aux entreprises dont l'inscription est annulée.",
        error_messages={"required": "Indiquez le motif de l'annulation."},
    )
    prefix = "annulation"


class ActionFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Tous"), *ActionKind.choices],
        error_messages={"invalid_choice": "Type d'action inconnu."},
    )
    filiere = forms.ModelChoiceField(
        label="Filière",
        queryset=Filiere.objects.order_by("name"),
        required=False,
        empty_label="Toutes",
        to_field_name="slug",
        error_messages={"invalid_choice": "Filière inconnue."},
    )
    status = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous"), *CollectiveAction.Status.choices],
        error_messages={"invalid_choice": "État inconnu."},
    )
    organiser = forms.ModelChoiceField(
        label="Organisateur",
        queryset=Organisation.objects.filter(collective_actions__isnull=False)
        .distinct()
        .order_by("name"),
        required=False,
        empty_label="Tous",
        to_field_name="slug",
        error_messages={"invalid_choice": "Organisme inconnu."},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "Aucun programme pour cette année."

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "kind": data.get("kind") or "",
            "filiere": data.get("filiere"),
            "status": data.get("status") or "",
            "organiser": data.get("organiser"),
        }


class PublicFilterForm(DsfrBaseForm):
    filiere = forms.ModelChoiceField(
        label="Filière",
        queryset=Filiere.objects.none(),
        required=False,
        empty_label="Toutes les filières",
        to_field_name="slug",
        error_messages={"invalid_choice": "Aucune action de cette filière au programme."},
    )
    kind = forms.ChoiceField(
        label="Type d'action",
        required=False,
        error_messages={"invalid_choice": "Aucune action de ce type au programme."},
    )

    def __init__(self, *args, filieres, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filiere"].queryset = filieres
        self.fields["kind"].choices = [("", "Tous les types"), *kinds]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"filiere": data.get("filiere"), "kind": data.get("kind") or ""}
