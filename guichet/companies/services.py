"""Writes of the platform-owned part of the registry: export-profile facts and contacts.

SIRENE identity data is written by the import only; what is here belongs to the platform and
the import never touches it. Every function validates its input and raises Django's
`ValidationError` with French messages keyed by field, so that pages and the API show the same
errors.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from guichet.companies.models import Company, Contact, ExportFact, ExportStatus
from guichet.reference.models import Country

Attribute = ExportFact.Attribute


class TurnoverBand(models.TextChoices):
    """Turnover bands of the export profile. The limits follow the size categories of décret
    2008-1354 (2 M€ micro-enterprise, 50 M€ SME, 1,5 Md€ mid-cap), so that a band and a size
    category can be read together."""

    UNDER_2M = "lt_2m", "< 2 M€"
    FROM_2M = "2m_10m", "2–10 M€"
    FROM_10M = "10m_50m", "10–50 M€"
    FROM_50M = "50m_250m", "50–250 M€"
    FROM_250M = "250m_1_5md", "250 M€–1,5 Md€"
    OVER_1_5MD = "gt_1_5md", "> 1,5 Md€"


# Clusters are free names ("Vitagora", "Pôle Véhicule du Futur"): most poles and clusters a
# company belongs to are not partner organisations of the platform, so no slug is required.
MAX_CLUSTERS = 30
MAX_CLUSTER_LENGTH = 120
LIST_ATTRIBUTES = frozenset(
    {Attribute.COUNTRIES_SERVED, Attribute.COUNTRIES_TARGETED, Attribute.CLUSTERS}
)
_BLANK_RECORDABLE = LIST_ATTRIBUTES | {Attribute.INNOVATIVE}


# --- export-profile values -------------------------------------------------------------------


def _clean_status(value) -> str:
    if value not in ExportStatus.values:
        choices = ", ".join(ExportStatus.values)
        raise ValidationError(f"Statut export inconnu : choisissez parmi {choices}.")
    return value


def _clean_export_share(value) -> int | float:
    message = "La part du chiffre d'affaires à l'export est un nombre entre 0 et 100."
    if isinstance(value, bool) or value is None:
        raise ValidationError(message)
    try:
        number = Decimal(str(value).replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        raise ValidationError(message) from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(message)
    number = number.quantize(Decimal("0.1"))
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_turnover_band(value) -> str:
    by_label = {str(label): code for code, label in TurnoverBand.choices}
    if value in TurnoverBand.values:
        return value
    if isinstance(value, str) and value.strip() in by_label:
        return by_label[value.strip()]
    labels = " ; ".join(f"{code} ({label})" for code, label in TurnoverBand.choices)
    raise ValidationError(f"Tranche de chiffre d'affaires inconnue : choisissez parmi {labels}.")


def _as_list(value) -> list:
    if isinstance(value, str):
        return [part for part in re.split(r"[\n;,]", value) if part.strip()]
    if isinstance(value, list | tuple | set):
        return list(value)
    raise ValidationError("Une liste est attendue.")


def _clean_countries(value) -> list[str]:
    codes = sorted({str(code).strip().upper() for code in _as_list(value)})
    known = set(Country.objects.filter(iso2__in=codes).values_list("iso2", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            f"Codes pays inconnus : {', '.join(unknown)} "
            "(codes ISO à deux lettres attendus, par exemple DE, US, CN)."
        )
    return codes


def _clean_clusters(value) -> list[str]:
    names: list[str] = []
    for raw in _as_list(value):
        if not isinstance(raw, str):
            raise ValidationError("Les pôles et clusters sont donnés par leur nom.")
        name = " ".join(raw.split())
        if len(name) > MAX_CLUSTER_LENGTH:
            raise ValidationError(
                f"Le nom « {name[:40]}… » dépasse {MAX_CLUSTER_LENGTH} caractères."
            )
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if len(names) > MAX_CLUSTERS:
        raise ValidationError(f"Indiquez au plus {MAX_CLUSTERS} pôles ou clusters.")
    return names


def _clean_innovative(value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("Indiquez vrai ou faux (true / false).")
    return value


_CLEANERS = {
    Attribute.STATUS: _clean_status,
    Attribute.EXPORT_SHARE: _clean_export_share,
    Attribute.TURNOVER_BAND: _clean_turnover_band,
    Attribute.COUNTRIES_SERVED: _clean_countries,
    Attribute.COUNTRIES_TARGETED: _clean_countries,
    Attribute.CLUSTERS: _clean_clusters,
    Attribute.INNOVATIVE: _clean_innovative,
}


def export_value_clean(*, attribute: str, value):
    """The value in its stored form (ISO codes sorted, share rounded to 0.1, band code)."""
    return _CLEANERS[attribute](value)


def _observation_errors(*, observed_on, source: str, comment: str) -> dict:
    """Errors on what every fact carries: its date, its source, its comment."""
    errors: dict[str, str] = {}
    if source not in ExportFact.Source.values:
        errors["source"] = "Source inconnue : choisissez parmi " + ", ".join(
            ExportFact.Source.values
        )
    if not isinstance(observed_on, date):
        errors["observed_on"] = "Indiquez la date du constat (AAAA-MM-JJ)."
    elif observed_on > timezone.localdate():
        errors["observed_on"] = "La date du constat ne peut pas être dans le futur."
    if len(comment or "") > 300:
        errors["comment"] = "Le commentaire compte au plus 300 caractères."
    return errors


def _refresh_export_status(company: Company) -> None:
    """Company.export_status caches the latest status fact, so that search can filter on it."""
    latest = (
        company.export_facts.filter(attribute=Attribute.STATUS)
        .order_by("-observed_on", "-recorded_at", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    latest = latest or ""
    if company.export_status != latest:
        company.export_status = latest
        company.save(update_fields=["export_status", "updated_at"])


def _recorder(by, organisation):
    user = by if by is not None and getattr(by, "pk", None) else None
    return user, organisation or getattr(user, "organisation", None)


@transaction.atomic
def export_fact_record(
    *,
    company: Company,
    attribute: str,
    value,
    observed_on: date,
    source: str,
    by,
    comment: str = "",
    organisation=None,
) -> ExportFact:
    """Add one dated fact to the export profile. Nothing is overwritten: the current value of
    an attribute is its latest fact (by date observed, then date recorded). `organisation`
    names the recorder when there is no user (an API key)."""
    errors = _observation_errors(observed_on=observed_on, source=source, comment=comment)
    if attribute not in Attribute.values:
        errors["attribute"] = "Donnée inconnue : choisissez parmi " + ", ".join(Attribute.values)
    else:
        try:
            value = export_value_clean(attribute=attribute, value=value)
        except ValidationError as error:
            errors["value"] = error.messages
    if errors:
        raise ValidationError(errors)
    user, organisation = _recorder(by, organisation)
    fact = ExportFact.objects.create(
        company=company,
        attribute=attribute,
        value=value,
        observed_on=observed_on,
        source=source,
        comment=(comment or "").strip(),
        recorded_by=user,
        organisation=organisation,
    )
    if attribute == Attribute.STATUS:
        _refresh_export_status(company)
    return fact


def _is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def _changed_values(company: Company, values: dict) -> tuple[dict, dict]:
    """Split the submitted values into those that differ from the current profile and the
    errors. A blank value (no status, no share…) records nothing: an observation never makes a
    known value unknown. An empty list or "no" is recorded only when it replaces a value."""
    from guichet.companies.selectors import current_export_profile

    current = current_export_profile(company)
    changed, errors = {}, {}
    for attribute, raw in values.items():
        if attribute not in Attribute.values:
            errors[attribute] = "Donnée inconnue."
            continue
        fact = current[attribute]
        if _is_blank(raw) and (fact is None or attribute not in _BLANK_RECORDABLE):
            continue
        try:
            value = export_value_clean(attribute=attribute, value=raw)
        except ValidationError as error:
            errors[attribute] = error.messages
            continue
        if fact is None or fact.value != value:
            changed[attribute] = value
    return changed, errors


@transaction.atomic
def export_profile_update(
    *,
    company: Company,
    values: dict,
    observed_on: date,
    source: str,
    by,
    comment: str = "",
) -> list[ExportFact]:
    """Record one fact per attribute whose value changed, all or none (one transaction).
    Unchanged values add no fact, so the history shows only real changes."""
    changed, errors = _changed_values(company, values)
    errors |= _observation_errors(observed_on=observed_on, source=source, comment=comment)
    if errors:
        raise ValidationError(errors)
    return [
        export_fact_record(
            company=company,
            attribute=attribute,
            value=value,
            observed_on=observed_on,
            source=source,
            by=by,
            comment=comment,
        )
        for attribute, value in changed.items()
    ]


# --- contacts --------------------------------------------------------------------------------

CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "legal_basis",
    "source",
    "last_contact_on",
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_INTERNATIONAL = re.compile(r"^(?:\+|00)([1-9]\d{6,14})$")
PHONE_ERROR = (
    "Numéro de téléphone invalide : 10 chiffres commençant par 0 (03 80 12 34 56) ou format "
    "international commençant par + (+33 3 80 12 34 56, +49 30 1234567)."
)


def _pairs(digits: str) -> str:
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def phone_normalise(value: str) -> str:
    """A French number as "03 80 12 34 56", +33 as "+33 3 80 12 34 56", any other country as
    "+" and its digits (ITU E.164: at most 15 digits)."""
    compact = _PHONE_SEPARATORS.sub("", value or "")
    if not compact:
        return ""
    if _FRENCH_NATIONAL.match(compact):
        return _pairs(compact)
    match = _INTERNATIONAL.match(compact)
    if not match:
        raise ValidationError(PHONE_ERROR)
    digits = match.group(1)
    if digits.startswith("33"):
        national = digits[2:].removeprefix("0")
        if len(national) != 9:
            raise ValidationError(PHONE_ERROR)
        return f"+33 {national[0]} {_pairs(national[1:])}"
    return "+" + digits


def _assign_contact_fields(contact: Contact, fields: dict) -> None:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)


def _validate_contact(contact: Contact) -> None:
    errors: dict[str, list[str]] = {}
    try:
        contact.phone = phone_normalise(contact.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    last = contact.last_contact_on
    if isinstance(last, date) and last > timezone.localdate():
        errors["last_contact_on"] = ["La date du dernier contact ne peut pas être dans le futur."]
    try:
        contact.full_clean(exclude=["company", "organisation", "created_by", *errors])
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_create(*, company: Company, by, organisation=None, **fields) -> Contact:
    """Add a person to talk to. The organisation that collected the data is kept (it answers
    the person's access and objection requests, RGPD art. 14 and 21)."""
    user, organisation = _recorder(by, organisation)
    contact = Contact(company=company, created_by=user, organisation=organisation)
    _assign_contact_fields(contact, fields)
    _validate_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by, **fields) -> Contact:
    _assign_contact_fields(contact, fields)
    _validate_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_opt_out(*, contact: Contact, by) -> Contact:
    """Record the person's objection (RGPD art. 21): the details stay visible, so that nobody
    re-enters them, but they are flagged as not to be contacted. Recording it twice keeps the
    first date."""
    if contact.opted_out:
        return contact
    contact.opted_out = True
    contact.opted_out_at = timezone.now()
    contact.save(update_fields=["opted_out", "opted_out_at", "updated_at"])
    return contact
