"""Which companies belong to which filière: a filière is a set of NAF codes at any level, and
a company belongs to it when its main activity or one of its establishments' activities falls
under one of them."""

from django.db.models import QuerySet

from guichet.companies.models import Company, Establishment, Filiere
from guichet.reference.models import NafCode


def naf_subclasses_under(codes: list[str]) -> list[str]:
    """Every NAF sub-class (level 5) at or under the given codes of any level."""
    wanted = set(codes)
    if not wanted:
        return []
    rows = NafCode.objects.values_list("code", "level", "parent_id")
    parent = {code: parent_id for code, _level, parent_id in rows}
    subclasses = []
    for code, level, _parent in rows:
        if level != NafCode.Level.SOUS_CLASSE:
            continue
        node = code
        while node is not None:
            if node in wanted:
                subclasses.append(code)
                break
            node = parent.get(node)
    return sorted(subclasses)


def filiere_subclasses(filiere: Filiere) -> list[str]:
    return naf_subclasses_under(list(filiere.naf_codes.values_list("code", flat=True)))


def companies_with_activity(companies: QuerySet, subclasses: list[str]) -> QuerySet:
    """The companies whose main activity or an establishment's is one of `subclasses`: one
    `IN (… UNION …)` semi-join, which both engines compute once. (An OR of a column test and
    a correlated EXISTS makes SQLite run the subquery per company row, and PostgreSQL test
    every company row.) The search's NAF and filière filters use it too."""
    main = Company.objects.filter(naf_id__in=subclasses).order_by().values("pk")
    secondary = Establishment.objects.filter(naf_id__in=subclasses).order_by().values("company_id")
    return companies.filter(pk__in=main.union(secondary))


def companies_in_filiere(companies: QuerySet, filiere: Filiere) -> QuerySet:
    return companies_with_activity(companies, filiere_subclasses(filiere))


def naf_ancestors(code: str, parent: dict[str, str | None] | None = None) -> set[str]:
    """The code itself and every level above it ("10.71C" → 10.71C, 10.71, 10.7, 10, C)."""
    if parent is None:
        parent = dict(NafCode.objects.values_list("code", "parent_id"))
    found: set[str] = set()
    node = code
    while node is not None and node in parent:
        found.add(node)
        node = parent[node]
    return found


def filieres_of_company(company: Company) -> list[Filiere]:
    codes = {company.naf_id} | set(
        company.establishments.exclude(naf_id=None).values_list("naf_id", flat=True)
    )
    codes.discard(None)
    if not codes:
        return []
    parent = dict(NafCode.objects.values_list("code", "parent_id"))
    ancestors: set[str] = set()
    for code in codes:
        ancestors |= naf_ancestors(code, parent)
    if not ancestors:
        return []
    return list(Filiere.objects.filter(naf_codes__in=ancestors).distinct().order_by("name"))
