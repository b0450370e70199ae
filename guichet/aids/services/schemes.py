"""Aid schemes as data: the rules of each scheme (rate, ceilings, beneficiaries, regime,
deadlines), its eligible cost categories, the documents it requires and its yearly envelopes.
Rows are matched on their natural key (category and document codes, envelope years)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from guichet.aids.models import (
    AidScheme,
    ApplicationDocument,
    BudgetEnvelope,
    CostCategory,
    PlannedExpense,
    RequiredDocument,
    SchemeRegime,
)
from guichet.companies.models import ExportStatus, SizeCategory

SCHEME_FIELDS = (
    "name",
    "slug",
    "provider",
    "purpose",
    "sizes",
    "export_statuses",
    "min_age_years",
    "max_age_years",
    "max_export_share",
    "rate",
    "extension_rate",
    "min_eligible_costs",
    "ceiling_per_aid",
    "ceiling_per_company",
    "max_aids_per_company",
    "max_duration_months",
    "max_months_since_hiring",
    "regime",
    "not_aid_justification",
    "opens_on",
    "closes_on",
    "is_active",
)
_NON_NEGATIVE = {
    "min_eligible_costs": "Les dépenses éligibles minimales ne peuvent pas être négatives.",
    "ceiling_per_aid": "Le plafond par aide ne peut pas être négatif.",
    "ceiling_per_company": "Le plafond par entreprise ne peut pas être négatif.",
}


# --- reads -----------------------------------------------------------------------------------


def scheme_closed_reason(scheme: AidScheme, on: date) -> str | None:
    """Why no application may be filed under `scheme` on `on` (French), or None when open."""
    if not scheme.is_active:
        return f"Le dispositif « {scheme.name} » est fermé : il ne reçoit plus de demandes."
    if scheme.opens_on and on < scheme.opens_on:
        return (
            f"Le dispositif « {scheme.name} » reçoit les demandes à partir du "
            f"{scheme.opens_on:%d/%m/%Y}."
        )
    if scheme.closes_on and on > scheme.closes_on:
        return (
            f"La date limite de dépôt du dispositif « {scheme.name} » était le "
            f"{scheme.closes_on:%d/%m/%Y}."
        )
    return None


def open_schemes(on: date) -> QuerySet[AidScheme]:
    """Schemes receiving applications on `on`."""
    return (
        AidScheme.objects.filter(is_active=True)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=on))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=on))
        .select_related("provider")
        .order_by("name", "pk")
    )


# --- validation ------------------------------------------------------------------------------


def _bounds_errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("rate", "extension_rate"):
        value = values.get(name)
        if value is not None and not Decimal("0") <= Decimal(value) <= Decimal("1"):
            errors[name] = ["Le taux va de 0 à 100 %."]
    if values.get("rate") is None:
        errors["rate"] = ["Indiquez le taux d'aide."]
    for name, message in _NON_NEGATIVE.items():
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            errors[name] = [message]
    share = values.get("max_export_share")
    if share is not None and not Decimal("0") <= Decimal(share) <= Decimal("100"):
        errors["max_export_share"] = ["La part à l'export va de 0 à 100 %."]
    low, high = values.get("min_age_years"), values.get("max_age_years")
    if low is not None and high is not None and low > high:
        errors["max_age_years"] = [
            f"L'âge maximum ({high} ans) est inférieur à l'âge minimum ({low} ans)."
        ]
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if opens and closes and opens > closes:
        errors["closes_on"] = [
            f"La date limite ({closes:%d/%m/%Y}) précède l'ouverture ({opens:%d/%m/%Y})."
        ]
    return errors


def _scheme_errors(values: dict, scheme: AidScheme | None) -> dict[str, list[str]]:
    errors = _bounds_errors(values)
    if not (values.get("name") or "").strip():
        errors["name"] = ["Indiquez le nom du dispositif."]
    if not (values.get("purpose") or "").strip():
        errors["purpose"] = ["Indiquez l'objet du dispositif."]
    if values.get("provider") is None:
        errors["provider"] = ["Choisissez le financeur."]
    if values.get("regime") not in SchemeRegime.values:
        errors["regime"] = ["Choisissez le régime juridique."]
    elif (
        values["regime"] == SchemeRegime.NOT_AID
        and not (values.get("not_aid_justification") or "").strip()
    ):
        errors["not_aid_justification"] = [
            "Expliquez pourquoi ce dispositif n'est pas une aide d'État (ex. bénéficiaires qui "
            "ne sont pas des entreprises, service ouvert à tous sans avantage sélectif)."
        ]
    bad_sizes = set(values.get("sizes") or ()) - set(SizeCategory.values)
    if bad_sizes:
        errors["sizes"] = [f"Taille inconnue : {', '.join(sorted(bad_sizes))}."]
    bad_statuses = set(values.get("export_statuses") or ()) - set(ExportStatus.values)
    if bad_statuses:
        errors["export_statuses"] = [f"Statut inconnu : {', '.join(sorted(bad_statuses))}."]
    slug = values.get("slug") or ""
    taken = AidScheme.objects.filter(slug=slug)
    if scheme is not None:
        taken = taken.exclude(pk=scheme.pk)
    if slug and taken.exists():
        errors["slug"] = [f"L'identifiant « {slug} » est déjà pris par un autre dispositif."]
    return errors


def _coded_rows(rows: list[dict], what: str) -> tuple[list[dict], list[str]]:
    """Rows with a label get a code (typed, or made from the label); codes are unique."""
    clean, errors, seen = [], [], set()
    for index, row in enumerate(rows, start=1):
        label = " ".join((row.get("label") or "").split())
        if not label:
            continue
        code = slugify(row.get("code") or label)[:40]
        if not code:
            errors.append(f"Ligne {index} : l'intitulé « {label} » ne donne pas de code.")
            continue
        if code in seen:
            errors.append(f"{what} : le code « {code} » figure deux fois.")
            continue
        seen.add(code)
        clean.append({**row, "code": code, "label": label[:200], "order": index})
    return clean, errors


def _envelope_rows(rows: list[dict]) -> tuple[list[dict], list[str]]:
    clean, errors, seen = [], [], set()
    for row in rows:
        year, amount = row.get("year"), row.get("amount")
        if year is None and amount is None:
            continue
        if year is None or amount is None:
            errors.append("Chaque enveloppe a une année et un montant.")
            continue
        if not 2000 <= int(year) <= 2100:
            errors.append(f"Année d'enveloppe invalide : {year}.")
        elif Decimal(amount) < 0:
            errors.append(f"L'enveloppe {year} ne peut pas être négative.")
        elif year in seen:
            errors.append(f"L'année {year} figure deux fois dans les enveloppes.")
        else:
            seen.add(year)
            clean.append({"year": int(year), "amount": Decimal(amount)})
    return clean, errors


# --- writes ----------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "dispositif"
    slug, number = base, 2
    while AidScheme.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _sync_categories(scheme: AidScheme, rows: list[dict]) -> list[str]:
    wanted = {row["code"]: row for row in rows}
    errors = []
    for category in scheme.cost_categories.exclude(code__in=wanted):
        if PlannedExpense.objects.filter(category=category).exists():
            errors.append(
                f"La catégorie « {category.label} » figure dans des demandes : elle ne peut pas "
                "être retirée (renommez-la plutôt)."
            )
        else:
            category.delete()
    for code, row in wanted.items():
        CostCategory.objects.update_or_create(
            scheme=scheme, code=code, defaults={"label": row["label"], "order": row["order"]}
        )
    return errors


def _sync_documents(scheme: AidScheme, rows: list[dict]) -> list[str]:
    wanted = {row["code"]: row for row in rows}
    errors = []
    for document in scheme.required_documents.exclude(code__in=wanted):
        if ApplicationDocument.objects.filter(required=document).exists():
            errors.append(
                f"La pièce « {document.label} » a été fournie dans des demandes : elle ne peut "
                "pas être retirée (rendez-la facultative plutôt)."
            )
        else:
            document.delete()
    for code, row in wanted.items():
        RequiredDocument.objects.update_or_create(
            scheme=scheme,
            code=code,
            defaults={
                "label": row["label"],
                "order": row["order"],
                "mandatory": bool(row.get("mandatory")),
            },
        )
    return errors


def _sync_envelopes(scheme: AidScheme, rows: list[dict]) -> None:
    years = [row["year"] for row in rows]
    scheme.envelopes.exclude(year__in=years).delete()
    for row in rows:
        BudgetEnvelope.objects.update_or_create(
            scheme=scheme, year=row["year"], defaults={"amount": row["amount"]}
        )


def scheme_save(
    *,
    scheme: AidScheme | None = None,
    fields: dict,
    filieres=(),
    cost_categories: list[dict],
    required_documents: list[dict],
    envelopes: list[dict],
    by=None,
) -> AidScheme:
    """Create (scheme=None) or update a scheme with its rows, or change nothing and raise
    ValidationError keyed by field ("cost_categories", "required_documents", "envelopes" for
    the rows)."""
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    values = {**fields, "name": (fields.get("name") or "").strip()}
    if not values.get("slug"):
        values["slug"] = scheme.slug if scheme is not None else _unique_slug(values["name"])
    if values.get("regime") != SchemeRegime.NOT_AID:
        values["not_aid_justification"] = ""
    errors = _scheme_errors(values, scheme)
    categories, category_errors = _coded_rows(cost_categories, "Catégories de dépenses")
    if not categories and not category_errors:
        category_errors = ["Indiquez au moins une catégorie de dépenses éligibles."]
    documents, document_errors = _coded_rows(required_documents, "Pièces à fournir")
    years, envelope_errors = _envelope_rows(envelopes)
    for key, messages in (
        ("cost_categories", category_errors),
        ("required_documents", document_errors),
        ("envelopes", envelope_errors),
    ):
        if messages:
            errors[key] = messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if scheme is None:
            scheme = AidScheme.objects.create(**values)
        else:
            scheme = AidScheme.objects.select_for_update().get(pk=scheme.pk)
            for name, value in values.items():
                setattr(scheme, name, value)
            scheme.save()
        scheme.filieres.set(filieres)
        problems = {
            "cost_categories": _sync_categories(scheme, categories),
            "required_documents": _sync_documents(scheme, documents),
        }
        if any(problems.values()):
            raise ValidationError({k: v for k, v in problems.items() if v})
        _sync_envelopes(scheme, years)
    return scheme
