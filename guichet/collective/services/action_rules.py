"""The rules an action's fields obey, checked all together before anything is written (see
guichet.collective.services.actions for the rules themselves). Each refusal is a French message
on the field concerned."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from guichet.collective.models import ActionKind, ActionRegime, CollectiveAction, Programme
from guichet.collective.services.states import HOLDS_PLACE, SUBSIDISED
from guichet.core.money import euros
from guichet.partners.models import Organisation
from guichet.reference.models import Country

DEFAULT_CHECKLIST = (
    "Objectifs de la participation fixés",
    "Contacts cibles identifiés",
    "Supports traduits",
    "Rendez-vous B2B pris",
)
# Path segments of the collective pages: an action's short name cannot be one of them.
RESERVED_SLUGS = frozenset(
    {
        "action",
        "calendrier",
        "evaluateur",
        "gestion",
        "inscription",
        "inscriptions",
        "nouvelle",
        "programme",
        "resultats",
        "enquete",
        "enquetes",
        "mon-inscription",
    }
)
GBER_19_MAX_RATE = Decimal("0.5")
MAX_AMOUNT = Decimal("99999999.99")
MAX_CAPACITY = 5000
MAX_REMINDERS = 5
MAX_CHECKLIST = 20
FIRST_YEAR = 2000
YEARS_AHEAD = 5
# Fields an action's form or an import may set (besides programme, organiser and checklist).
ACTION_FIELDS = (
    "kind",
    "title",
    "slug",
    "series",
    "description",
    "starts_on",
    "ends_on",
    "city",
    "country",
    "filieres",
    "partners",
    "capacity",
    "selection_criteria",
    "registration_deadline",
    "free_cancellation_until",
    "cancellation_rules",
    "full_cost",
    "company_fee",
    "eligible_costs",
    "subsidy_rate",
    "subsidy_cap",
    "subsidised_participations_limit",
    "regime",
    "budget",
    "reminder_days",
)
# The rules of the subsidy: frozen once a participation is confirmed (its ledger line).
MONEY_RULES = (
    "full_cost",
    "company_fee",
    "eligible_costs",
    "subsidy_rate",
    "subsidy_cap",
    "subsidised_participations_limit",
    "regime",
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CENT = Decimal("0.01")


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _percent(rate: Decimal) -> str:
    text = f"{(rate * 100).normalize():f}".replace(".", ",")
    return f"{text} %"


class Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


# --- texts and years ---------------------------------------------------------------------------


def text_field(errors, field, value, *, label, limit, required=True, lines=False) -> str:
    raw = str(value or "")
    text = raw.strip().replace("\r\n", "\n") if lines else " ".join(raw.split())
    if _CONTROL.search(text.replace("\n", "").replace("\t", " ")):
        errors.add(field, f"Le champ « {label} » contient des caractères non autorisés.")
    elif required and not text:
        errors.add(field, f"Indiquez le champ « {label} ».")
    elif len(text) > limit:
        errors.add(field, f"« {label} » fait {len(text)} caractères ; {limit} au plus.")
    return text


def year_ok(errors, year) -> bool:
    latest = timezone.localdate().year + YEARS_AHEAD
    if not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        errors.add(
            "year", f"L'année du programme doit être comprise entre {FIRST_YEAR} et {latest}."
        )
        return False
    return True


# --- an action's fields -----------------------------------------------------------------------


def _day(errors, field, value, *, label, required=True) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(field, f"Indiquez la date : {label}.")
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        errors.add(field, f"La date « {label} » est invalide.")
        return None
    return value


def _amount(errors, field, value, *, label, required=True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, f"Indiquez le montant : {label}.")
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        errors.add(field, f"« {label} » doit être un montant en euros.")
    elif amount < 0:
        errors.add(field, f"« {label} » ne peut pas être négatif.")
    elif amount > MAX_AMOUNT:
        errors.add(field, f"« {label} » dépasse {euros(MAX_AMOUNT)}.")
    elif amount != amount.quantize(_CENT):
        errors.add(field, f"« {label} » s'exprime en euros et centimes.")
    else:
        return amount.quantize(_CENT)
    return None


def _whole(errors, field, value, *, label, low, high, required=True) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, f"Indiquez le champ « {label} ».")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, f"« {label} » doit être un nombre entier.")
    elif not low <= value <= high:
        errors.add(field, f"« {label} » doit être compris entre {low} et {high}.")
    else:
        return value
    return None


def _eligible_costs(errors, lines) -> list[dict]:
    clean = []
    for number, line in enumerate(lines or [], start=1):
        label = " ".join(str((line or {}).get("label", "")).split())
        raw = (line or {}).get("amount")
        try:
            amount = Decimal(str(raw).replace(",", "."))
        except (InvalidOperation, ValueError):
            amount = None
        if not label:
            errors.add("eligible_costs", f"Ligne {number} : indiquez le libellé du coût.")
        elif len(label) > 200:
            errors.add("eligible_costs", f"Ligne {number} : libellé trop long (200 au plus).")
        elif amount is None or not amount.is_finite() or amount != amount.quantize(_CENT):
            errors.add(
                "eligible_costs", f"Ligne {number} ({label}) : le montant doit être en euros."
            )
        elif amount <= 0:
            errors.add(
                "eligible_costs", f"Ligne {number} ({label}) : le montant doit être positif."
            )
        else:
            clean.append({"label": label, "amount": str(amount.quantize(_CENT))})
    return clean


def _reminders(errors, days) -> list[int]:
    clean = set()
    for value in days or []:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
            errors.add(
                "reminder_days",
                f"« {value} » : un rappel se donne en jours avant l'action, de 1 à 90.",
            )
        else:
            clean.add(value)
    if len(clean) > MAX_REMINDERS:
        errors.add("reminder_days", f"{MAX_REMINDERS} rappels au plus.")
    return sorted(clean, reverse=True)


def _checklist(errors, labels) -> list[str]:
    clean: list[str] = []
    for label in labels or []:
        text = " ".join(str(label).split())
        if not text:
            continue
        if len(text) > 200:
            errors.add("checklist", f"« {text[:40]}… » : 200 caractères au plus par étape.")
        elif text in clean:
            errors.add("checklist", f"L'étape « {text} » figure deux fois.")
        else:
            clean.append(text)
    if len(clean) > MAX_CHECKLIST:
        errors.add("checklist", f"{MAX_CHECKLIST} étapes de préparation au plus.")
    return clean


def _slug(errors, value, *, title: str, year: int, action) -> str:
    if action is not None:
        return action.slug
    slug = str(value or "").strip().lower()
    if not slug:
        base = slugify(title)[:80].strip("-") or "action"
        slug = base if str(year) in base else f"{base}-{year}"
        slug, n = slug[:90], 2
        while CollectiveAction.objects.filter(slug=slug).exists() or slug in RESERVED_SLUGS:
            slug, n = f"{base[:84]}-{year}-{n}", n + 1
        return slug
    if len(slug) > 90 or not _SLUG.match(slug):
        errors.add(
            "slug",
            "L'identifiant court s'écrit en minuscules sans accents, chiffres et tirets "
            "(90 caractères au plus), par exemple sial-2026.",
        )
    elif slug in RESERVED_SLUGS:
        errors.add(
            "slug", f"« {slug} » est réservé par les pages du site : choisissez-en un autre."
        )
    elif CollectiveAction.objects.filter(slug=slug).exists():
        errors.add("slug", f"Une action porte déjà l'identifiant « {slug} ».")
    return slug


def _dates(errors, v: dict, programme: Programme) -> None:
    starts_on = v["starts_on"] = _day(errors, "starts_on", v.get("starts_on"), label="début")
    ends_on = v["ends_on"] = _day(errors, "ends_on", v.get("ends_on"), label="fin")
    deadline = v["registration_deadline"] = _day(
        errors,
        "registration_deadline",
        v.get("registration_deadline"),
        label="date limite d'inscription",
    )
    free = v["free_cancellation_until"] = _day(
        errors,
        "free_cancellation_until",
        v.get("free_cancellation_until"),
        label="annulation sans frais",
        required=False,
    )
    if starts_on is None:
        return
    if starts_on.year != programme.year:
        errors.add(
            "starts_on",
            f"L'action commence le {_d(starts_on)} : elle relève du programme "
            f"{starts_on.year}, pas de celui de {programme.year}.",
        )
    if ends_on is not None and ends_on < starts_on:
        errors.add(
            "ends_on", f"La fin ({_d(ends_on)}) ne peut pas précéder le début ({_d(starts_on)})."
        )
    if deadline is not None and deadline > starts_on:
        errors.add(
            "registration_deadline",
            f"Les inscriptions doivent être closes au plus tard le premier jour de l'action "
            f"({_d(starts_on)}).",
        )
    if free is not None and free > starts_on:
        errors.add(
            "free_cancellation_until",
            f"L'annulation sans frais doit prendre fin au plus tard le premier jour de "
            f"l'action ({_d(starts_on)}).",
        )


def _money(errors, v: dict) -> None:
    full = v["full_cost"] = _amount(
        errors, "full_cost", v.get("full_cost"), label="coût complet par entreprise"
    )
    fee = v["company_fee"] = _amount(
        errors, "company_fee", v.get("company_fee"), label="participation de l'entreprise"
    )
    v["subsidy_cap"] = _amount(
        errors, "subsidy_cap", v.get("subsidy_cap"), label="plafond par entreprise", required=False
    )
    v["budget"] = _amount(
        errors, "budget", v.get("budget") or Decimal("0"), label="budget public de l'action"
    )
    v["eligible_costs"] = lines = _eligible_costs(errors, v.get("eligible_costs"))
    rate = _rate(errors, v.get("subsidy_rate"))
    v["subsidy_rate"] = rate
    v["subsidised_participations_limit"] = _whole(
        errors,
        "subsidised_participations_limit",
        v.get("subsidised_participations_limit"),
        label="participations subventionnées",
        low=1,
        high=99,
        required=False,
    )
    if full is not None and fee is not None and fee > full:
        errors.add(
            "company_fee",
            f"La participation demandée ({euros(fee)}) dépasse le coût complet ({euros(full)}).",
        )
    total = sum((Decimal(line["amount"]) for line in lines), Decimal("0"))
    if full is not None and total > full:
        errors.add(
            "eligible_costs",
            f"Les coûts admissibles ({euros(total)}) dépassent le coût complet ({euros(full)}).",
        )
    if rate and not lines and "eligible_costs" not in errors:
        errors.add(
            "eligible_costs",
            "Détaillez les coûts admissibles (libellé et montant) : la prise en charge se "
            "calcule sur eux.",
        )
    _regime(errors, v, rate, full, fee)


def _rate(errors, value) -> Decimal | None:
    if value in (None, ""):
        return Decimal("0")
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate <= 1:
        errors.add("subsidy_rate", "Le taux de prise en charge est compris entre 0 et 100 %.")
        return None
    return rate


def _regime(errors, v: dict, rate, full, fee) -> None:
    regime, kind = v.get("regime"), v.get("kind")
    if regime not in ActionRegime.values:
        errors.add("regime", "Choisissez le régime de l'aide.")
        return
    no_money = rate == 0 and full is not None and fee == full
    if regime == ActionRegime.GBER_19 and kind in ActionKind.values and kind != ActionKind.FAIR:
        errors.add(
            "regime",
            "Le RGEC art. 19 couvre la participation des PME aux foires et salons : pour "
            f"« {ActionKind(kind).label} », choisissez le de minimis.",
        )
    elif regime == ActionRegime.GBER_19 and rate is not None and rate > GBER_19_MAX_RATE:
        errors.add(
            "subsidy_rate",
            f"Le RGEC art. 19 plafonne l'aide à 50 % des coûts admissibles (ici {_percent(rate)}).",
        )
    elif regime == ActionRegime.NOT_AID and rate is not None and full is not None and not no_money:
        errors.add(
            "regime",
            "« Pas une aide d'État » suppose aucune prise en charge : un taux de 0 % et une "
            "participation égale au coût complet.",
        )
    elif regime != ActionRegime.NOT_AID and no_money:
        errors.add(
            "regime",
            "Sans prise en charge (taux de 0 % et participation égale au coût complet), "
            "l'action n'est pas une aide d'État : choisissez « Pas une aide d'État ».",
        )


def clean_action(
    fields: dict, *, programme: Programme, organiser, action=None
) -> tuple[dict, list]:
    """All the action's values checked together (an update passes the merged values)."""
    errors = Errors()
    v = dict(fields)
    if v.get("kind") not in ActionKind.values:
        errors.add("kind", "Choisissez le type d'action.")
    v["title"] = text_field(errors, "title", v.get("title"), label="Intitulé", limit=200)
    for name, label in (
        ("description", "Description"),
        ("selection_criteria", "Critères de sélection"),
        ("cancellation_rules", "Conditions d'annulation"),
    ):
        v[name] = text_field(
            errors, name, v.get(name), label=label, limit=5000, required=False, lines=True
        )
    v["city"] = text_field(errors, "city", v.get("city"), label="Ville", limit=120)
    if isinstance(v.get("country"), str):
        v["country"] = Country.objects.filter(iso2=v["country"].upper()).first()
    if not isinstance(v.get("country"), Country):
        errors.add("country", "Choisissez le pays de l'action.")
    if not isinstance(organiser, Organisation):
        errors.add("organiser", "Choisissez l'organisme qui organise l'action.")
    v["series"] = str(v.get("series") or "").strip().lower()
    if v["series"] and (len(v["series"]) > 60 or not _SLUG.match(v["series"])):
        errors.add("series", "La série s'écrit en minuscules, chiffres et tirets (ex. : sial).")
    v["capacity"] = _whole(
        errors, "capacity", v.get("capacity"), label="Nombre de places", low=1, high=MAX_CAPACITY
    )
    _dates(errors, v, programme)
    _money(errors, v)
    v["reminder_days"] = _reminders(errors, v.get("reminder_days"))
    v["slug"] = _slug(errors, v.get("slug"), title=v["title"], year=programme.year, action=action)
    checklist = _checklist(errors, v.pop("checklist", None))
    if action is not None:
        _frozen_by_registrations(errors, action, v)
    errors.raise_if_any()
    return v, checklist


def _frozen_by_registrations(errors, action: CollectiveAction, v: dict) -> None:
    confirmed = action.registrations.filter(status__in=SUBSIDISED).count()
    if confirmed:
        for name in MONEY_RULES:
            if _comparable(v.get(name)) != _comparable(getattr(action, name)):
                label = CollectiveAction._meta.get_field(name).verbose_name
                errors.add(
                    name,
                    f"{confirmed} inscription(s) confirmée(s) ont leur prise en charge inscrite "
                    f"au registre des aides d'État : « {label} » ne peut plus changer.",
                )
    held = action.registrations.filter(status__in=HOLDS_PLACE).count()
    if v.get("capacity") is not None and v["capacity"] < held:
        errors.add(
            "capacity",
            f"{held} places sont déjà attribuées : la capacité ne peut pas descendre en dessous.",
        )


def _comparable(value):
    if isinstance(value, list):
        return [_comparable(x) for x in value]
    if isinstance(value, dict):
        return {k: _comparable(x) for k, x in value.items()}
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, str):
        try:
            return Decimal(value).normalize()
        except InvalidOperation:
            return value
    return value
