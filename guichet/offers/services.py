"""Writes of the catalogue: a partner publishes, edits and withdraws its offers.

Every check is here, in French, so that the pages and the API refuse the same things with the
same words. A withdrawn offer is kept (action plans and guides of past years name it): it leaves
the catalogue, the company file and the next guide.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from guichet.companies.models import ExportStatus, SizeCategory
from guichet.offers.models import Offer, OfferKind

# The dimensions of the default export diagnostic (guichet.diagnostics); an offer lists those it
# helps with so that the action plan recommends it where the company scores low.
DIMENSIONS = {
    "strategy": "Stratégie et engagement de la direction",
    "offer": "Offre et adaptation",
    "organisation": "Organisation et compétences",
    "finance": "Finances et risques",
    "compliance": "Conformité (normes, douane, propriété intellectuelle)",
    "marketing": "Marketing et numérique",
    "experience": "Expérience internationale",
}

# Fields a service accepts besides the provider; lists are JSON lists of codes.
SCALAR_FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "min_employees",
    "max_employees",
    "min_age_years",
    "max_age_years",
    "cost_to_company",
    "public_funding",
    "link",
    "contact_email",
    "contact_phone",
    "valid_from",
    "valid_until",
    "is_active",
)
LIST_FIELDS = ("stages", "sizes", "export_statuses", "dimensions")
RELATED_FIELDS = ("filieres", "regions")
EDITABLE_FIELDS = ("provider", *SCALAR_FIELDS, *LIST_FIELDS, *RELATED_FIELDS)


def stage_choices() -> list[tuple[str, str]]:
    """The stages of the journey an offer may target, in the journey's order (not "dropped")."""
    from guichet.journeys.models import STAGE_ORDER

    return [(stage.value, str(stage.label)) for stage in STAGE_ORDER]


def dimension_choices() -> list[tuple[str, str]]:
    """The default questionnaire's dimensions, then any other code a questionnaire defines."""
    choices = dict(DIMENSIONS)
    from guichet.diagnostics.models import Dimension

    try:
        rows = list(Dimension.objects.order_by("order", "code").values_list("code", "label"))
    except DatabaseError:  # the diagnostics tables do not exist yet (during migrate)
        rows = []
    for code, label in rows:
        choices.setdefault(code, label)
    return list(choices.items())


_LIST_LABELS = {
    "stages": "Étape du parcours",
    "sizes": "Taille d'entreprise",
    "export_statuses": "Statut export",
    "dimensions": "Dimension du diagnostic",
}


def _known_codes(field: str) -> list[str]:
    """The codes a list field accepts, in the order they are shown and stored."""
    if field == "stages":
        return [code for code, _label in stage_choices()]
    if field == "sizes":
        return list(SizeCategory.values)
    if field == "export_statuses":
        return list(ExportStatus.values)
    return [code for code, _label in dimension_choices()]


def _clean_list(field: str, values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise ValidationError({field: "Indiquez une liste de codes."})
    known = _known_codes(field)
    unknown = [str(v) for v in values if v not in known]
    if unknown:
        raise ValidationError(
            {
                field: f"{_LIST_LABELS[field]} inconnu(e) : {', '.join(unknown)}. "
                f"Codes possibles : {', '.join(known)}."
            }
        )
    # Stored in the order of the known codes (reads the same everywhere), without duplicates.
    wanted = set(values)
    return [code for code in known if code in wanted]


# Control characters (NUL above all, which PostgreSQL refuses) never belong in an offer's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_FIELDS = (
    "title",
    "summary",
    "description",
    "cost_to_company",
    "public_funding",
    "link",
    "contact_email",
    "contact_phone",
)


def _validate(offer: Offer, errors: dict[str, list[str]]) -> None:
    """Rules between fields, then the model's own checks (lengths, e-mail, URL); raises with
    every error found, those already in `errors` included."""
    errors = {field: list(messages) for field, messages in errors.items()}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name in _TEXT_FIELDS:
        if _CONTROL.search(getattr(offer, name) or ""):
            add(name, "Le texte contient des caractères de contrôle : retirez-les.")
    if not (offer.title or "").strip():
        add("title", "Indiquez l'intitulé de l'offre.")
    if not (offer.summary or "").strip():
        add("summary", "Résumez l'offre en une phrase.")
    if not offer.kind:
        add("kind", "Choisissez le type d'offre.")
    elif offer.kind not in OfferKind.values:
        add(
            "kind",
            f"Type d'offre inconnu : « {offer.kind} ». "
            f"Types possibles : {', '.join(OfferKind.values)}.",
        )
    if offer.valid_from and offer.valid_until and offer.valid_until < offer.valid_from:
        add("valid_until", "La fin de validité doit suivre son début (ou le même jour).")
    pairs = (
        (
            "min_employees",
            "max_employees",
            "L'effectif maximum doit être au moins l'effectif minimum.",
        ),
        ("min_age_years", "max_age_years", "L'âge maximum doit être au moins l'âge minimum."),
    )
    for low_field, high_field, message in pairs:
        low, high = getattr(offer, low_field), getattr(offer, high_field)
        for name, value in ((low_field, low), (high_field, high)):
            if value is not None and (not isinstance(value, int) or value < 0):
                add(name, "Indiquez un nombre entier positif ou nul.")
        if isinstance(low, int) and isinstance(high, int) and high < low:
            add(high_field, message)
    if offer.link and urlsplit(offer.link).scheme not in ("http", "https"):
        add("link", "Le lien doit commencer par https:// (ou http://).")
    if offer.provider_id is None:
        add("provider", "Choisissez l'organisme qui propose l'offre.")
    elif not offer.provider.is_active:
        add("provider", "Cet organisme n'est plus actif : il ne peut pas publier d'offre.")
    try:
        offer.full_clean(exclude=[*errors, "slug"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, _french_model_message(field, message))
    if errors:
        raise ValidationError(errors)


def _french_model_message(field: str, message: str) -> str:
    """Django's model messages are already French (LANGUAGE_CODE); name the URL rule."""
    if field == "link":
        return "Indiquez une adresse web valide, par exemple https://www.example.fr/offre."
    if field == "contact_email":
        return "Indiquez une adresse électronique valide, par exemple export@cci.example."
    return message


# Paths of the catalogue that an offer's slug would shadow (/offres/<slug>/).
RESERVED_SLUGS = frozenset({"nouvelle", "guide", "guide-pdf"})


def unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:70].strip("-") or "offre"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Offer.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(offer: Offer, fields: dict) -> tuple[list | None, list | None, dict]:
    """Set the given fields on `offer`; returns the filières and régions to set after saving,
    and the errors of the code lists (reported with the other fields' errors)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Champ inconnu."))
    for name in SCALAR_FIELDS:
        if name in fields:
            value = fields[name]
            if name in ("title", "summary") and isinstance(value, str):
                value = " ".join(value.split())
            if name == "is_active":
                value = bool(value)
            elif value is None and not _nullable(name):
                value = ""
            setattr(offer, name, value)
    errors: dict[str, list[str]] = {}
    for name in LIST_FIELDS:
        if name in fields:
            try:
                setattr(offer, name, _clean_list(name, fields[name]))
            except ValidationError as error:
                errors.update(error.message_dict)
    if "provider" in fields:
        offer.provider = fields["provider"]
    filieres = list(fields["filieres"]) if fields.get("filieres") is not None else None
    regions = list(fields["regions"]) if fields.get("regions") is not None else None
    return filieres, regions, errors


def _nullable(name: str) -> bool:
    return Offer._meta.get_field(name).null


@transaction.atomic
def offer_create(
    *, provider, title: str, kind: str, summary: str, slug: str = "", **fields
) -> Offer:
    """Publish an offer of `provider`. `fields` are any of EDITABLE_FIELDS; the short
    identifier is made from the title unless given (it never changes afterwards: links to
    the offer stay valid)."""
    offer = Offer()
    filieres, regions, errors = _apply(
        offer, {"provider": provider, "title": title, "kind": kind, "summary": summary, **fields}
    )
    _validate(offer, errors)
    if slug:
        if slugify(slug) != slug or len(slug) > 80:
            raise ValidationError(
                {"slug": "L'identifiant court ne contient que des minuscules, chiffres et tirets."}
            )
        if slug in RESERVED_SLUGS or Offer.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": f"Une offre porte déjà l'identifiant « {slug} »."})
        offer.slug = slug
    else:
        offer.slug = unique_slug(offer.title)
    offer.save()
    if filieres:
        offer.filieres.set(filieres)
    if regions:
        offer.regions.set(regions)
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, **fields) -> Offer:
    """Change the given fields only (a PATCH); the slug never changes."""
    filieres, regions, errors = _apply(offer, fields)
    _validate(offer, errors)
    offer.save()
    if filieres is not None:
        offer.filieres.set(filieres)
    if regions is not None:
        offer.regions.set(regions)
    return offer


def offer_archive(*, offer: Offer) -> Offer:
    """Withdraw an offer from the catalogue (kept for the records that name it)."""
    if offer.is_active:
        offer.is_active = False
        offer.save(update_fields=["is_active", "updated_at"])
    return offer


def offer_restore(*, offer: Offer) -> Offer:
    """Publish a withdrawn offer again (its dates still apply)."""
    if not offer.is_active:
        offer.is_active = True
        offer.save(update_fields=["is_active", "updated_at"])
    return offer


def offer_upsert(*, slug: str, provider, **fields) -> tuple[Offer, bool]:
    """Create or refresh an offer by its slug (demo data, seeds): nothing is written when the
    offer already says the same. Returns (offer, changed)."""
    offer = Offer.objects.filter(slug=slug).first()
    if offer is None:
        return offer_create(provider=provider, slug=slug, **fields), True
    wanted = {"provider": provider, **fields}
    if _same(offer, wanted):
        return offer, False
    return offer_update(offer=offer, **wanted), True


def _same(offer: Offer, wanted: dict) -> bool:
    for name, value in wanted.items():
        if name in RELATED_FIELDS:
            current = {obj.pk for obj in getattr(offer, name).all()}
            if current != {obj.pk for obj in value}:
                return False
        elif name == "provider":
            if offer.provider_id != value.pk:
                return False
        elif name in LIST_FIELDS:
            if list(getattr(offer, name) or []) != _clean_list(name, value):
                return False
        elif getattr(offer, name) != value:
            return False
    return True
