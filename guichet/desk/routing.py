"""Which partner receives a need: the routing rules evaluated against a company profile.

Rules are few (hundreds at most) and are evaluated in Python on a profile built once per need:
territory (région, département, commune), NAF code (a rule's code at any level covers every
code under it), headcount, company age and export status.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from guichet.companies.filieres import naf_ancestors
from guichet.companies.geography import departement_code_of_postal_code, departement_regions
from guichet.companies.models import Company
from guichet.desk.models import RoutingRule, Subject
from guichet.reference.models import NafCode


@dataclass(frozen=True)
class Profile:
    """What routing knows about the company behind a need."""

    region: str = ""
    departement: str = ""
    commune: str = ""
    naf_codes: frozenset[str] = field(default_factory=frozenset)  # the code and its ancestors
    employees: int | None = None  # lower bound of the SIRENE headcount band
    age_years: int | None = None
    export_status: str = ""


def _age_years(created: date | None, today: date) -> int | None:
    if created is None:
        return None
    years = today.year - created.year - ((today.month, today.day) < (created.month, created.day))
    return max(years, 0)


def profile_for(
    *,
    company: Company | None,
    commune_code: str = "",
    postal_code: str = "",
    today: date | None = None,
) -> Profile:
    """The routing profile of a company (registry) or of a declared postal code (unknown
    company). `commune_code` (the establishment that asks) wins over the headquarters'."""
    today = today or timezone.localdate()
    naf: frozenset[str] = frozenset()
    employees = age = None
    export_status = ""
    if company is not None:
        if company.naf_id:
            parent = dict(NafCode.objects.values_list("code", "parent_id"))
            naf = frozenset(naf_ancestors(company.naf_id, parent))
        if company.headcount_band_id is not None:
            employees = company.headcount_band.min_employees
        age = _age_years(company.creation_date, today)
        export_status = company.export_status or ""
        if not commune_code:
            head = company.establishments.filter(is_headquarters=True).first()
            commune_code = head.commune_code if head else ""
    departement = ""
    if commune_code:
        from guichet.companies.geography import departement_code_of_commune

        departement = departement_code_of_commune(commune_code)
    if not departement:
        departement = departement_code_of_postal_code(postal_code)
    region = departement_regions().get(departement, "") if departement else ""
    return Profile(
        region=region or "",
        departement=departement,
        commune=commune_code or "",
        naf_codes=naf,
        employees=employees,
        age_years=age,
        export_status=export_status,
    )


def rule_matches(rule: RoutingRule, profile: Profile) -> bool:
    """Whether a rule (with regions, departements and naf_codes prefetched) covers a profile.
    A rule without territory covers every territory; a filter left empty does not filter."""
    regions = {r.code for r in rule.regions.all()}
    departements = {d.code for d in rule.departements.all()}
    communes = set(rule.communes or [])
    if regions or departements or communes:
        in_territory = (
            (profile.region and profile.region in regions)
            or (profile.departement and profile.departement in departements)
            or (profile.commune and profile.commune in communes)
        )
        if not in_territory:
            return False
    naf = {n.code for n in rule.naf_codes.all()}
    if naf and not (naf & profile.naf_codes):
        return False
    if rule.min_employees is not None or rule.max_employees is not None:
        if profile.employees is None:
            return False
        if rule.min_employees is not None and profile.employees < rule.min_employees:
            return False
        if rule.max_employees is not None and profile.employees > rule.max_employees:
            return False
    if rule.min_age_years is not None or rule.max_age_years is not None:
        if profile.age_years is None:
            return False
        if rule.min_age_years is not None and profile.age_years < rule.min_age_years:
            return False
        if rule.max_age_years is not None and profile.age_years > rule.max_age_years:
            return False
    return not rule.export_statuses or profile.export_status in rule.export_statuses


def active_rules(subjects=None):
    rules = RoutingRule.objects.filter(is_active=True, organisation__is_active=True)
    if subjects is not None:
        rules = rules.filter(subject__in=subjects)
    return rules.select_related("subject", "organisation", "person").prefetch_related(
        "regions", "departements", "naf_codes"
    )


def matching_rules(profile: Profile, subject: Subject, rules=None) -> list[RoutingRule]:
    """Rules of a subject covering the profile, by priority then organisation name."""
    rules = active_rules([subject]) if rules is None else rules
    found = [r for r in rules if r.subject_id == subject.pk and rule_matches(r, profile)]
    return sorted(found, key=lambda r: (r.priority, r.organisation.name, r.pk))
