"""Writes of filières: an administrator defines each filière as a set of NAF codes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from guichet.companies.models import Filiere
from guichet.reference.models import NafCode


def parse_naf_codes(text: str) -> list[str]:
    """Codes typed by a person ("10, 11.02B 01.21Z") → the NAF codes they name, validated.

    Accepts any level (section letter, division, groupe, classe, sous-classe), with or without
    the dot ("1102B" = "11.02B"), in upper or lower case."""
    wanted = [t for t in text.replace(";", " ").replace(",", " ").split() if t]
    known = set(NafCode.objects.values_list("code", flat=True))
    codes, unknown = [], []
    for token in wanted:
        code = _canonical(token.upper())
        if code in known:
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(token)
    if unknown:
        raise ValidationError(
            "Codes NAF inconnus : %(codes)s. Indiquez des codes de la NAF rév. 2 "
            "(section « C », division « 10 », groupe « 10.7 », classe « 10.71 » "
            "ou sous-classe « 10.71C »).",
            params={"codes": ", ".join(unknown)},
            code="unknown_naf",
        )
    if not codes:
        raise ValidationError("Indiquez au moins un code NAF.", code="required")
    return codes


def _canonical(token: str) -> str:
    if len(token) > 2 and "." not in token and token[:2].isdigit():
        return f"{token[:2]}.{token[2:]}"
    return token


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:50] or "filiere"
    slug, n = base, 2
    while Filiere.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def filiere_create(*, name: str, naf_codes: list[str], description: str = "") -> Filiere:
    filiere = Filiere(name=name, description=description, slug=_unique_slug(name))
    filiere.full_clean()
    filiere.save()
    filiere.naf_codes.set(naf_codes)
    return filiere


@transaction.atomic
def filiere_update(
    *, filiere: Filiere, name: str, naf_codes: list[str], description: str = ""
) -> Filiere:
    filiere.name = name
    filiere.description = description
    filiere.full_clean()
    filiere.save()
    filiere.naf_codes.set(naf_codes)
    return filiere


@transaction.atomic
def filiere_upsert(*, slug: str, name: str, naf_codes: list[str], description: str = "") -> Filiere:
    """Create or refresh a filière by its slug (demo data, seeds)."""
    filiere, _ = Filiere.objects.update_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    if set(filiere.naf_codes.values_list("code", flat=True)) != set(naf_codes):
        filiere.naf_codes.set(naf_codes)
    return filiere
