"""The registry search in the API: the same filters, validation and order as the page."""

from django.core.paginator import EmptyPage
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from guichet.companies.forms_search import SearchForm
from guichet.companies.models import Company
from guichet.companies.search import search_companies
from guichet.companies.search.listing import CappedPaginator, headquarters_of, with_headquarters

router = Router(tags=["Entreprises"])

MAX_PAGE_SIZE = 100


class SearchQuery(Schema):
    q: str = ""
    region: str = ""
    departement: str = ""
    commune: str = ""
    naf: str = ""
    filiere: str = ""
    size: str = ""
    export_status: str = ""
    active: bool = False
    page: int = 1
    page_size: int = 25


class SearchHeadquartersOut(Schema):
    siret: str
    commune_code: str
    commune_name: str
    departement: str | None
    region: str | None


class SearchResultOut(Schema):
    siren: str
    name: str
    naf: str | None
    naf_label: str
    size_category: str
    export_status: str
    is_active: bool
    headquarters: SearchHeadquartersOut | None


class SearchPageOut(Schema):
    count: int
    count_capped: bool = Field(
        description="Vrai quand il y a plus de résultats que `count` (compte arrêté à 10 000)."
    )
    page: int
    pages: int
    results: list[SearchResultOut]


def _invalid(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["query", field], "msg": str(message)}
            for field, messages in errors.items()
            for message in messages
        ]
    )


def _result(company: Company) -> dict:
    hq = headquarters_of(company)
    return {
        "siren": company.siren,
        "name": company.name,
        "naf": company.naf_id,
        "naf_label": company.naf.label if company.naf else "",
        "size_category": company.size_category,
        "export_status": company.export_status,
        "is_active": company.is_active,
        "headquarters": hq
        and {
            "siret": hq.siret,
            "commune_code": hq.commune_code,
            "commune_name": hq.commune_name,
            "departement": hq.departement_id,
            "region": hq.region_id,
        },
    }


def _validated_page_size(params: SearchQuery) -> int:
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        message = f"La taille de page va de 1 à {MAX_PAGE_SIZE}."
        raise _invalid({"page_size": [message]})
    return params.page_size


@router.get(
    "/companies",
    response=SearchPageOut,
    summary="Recherche dans le registre des entreprises",
    description=(
        "`q` : nom (tolère accents, majuscules, une faute ou un mot manquant), SIREN ou SIRET, "
        "avec ou sans espaces. Filtres : `region` et `departement` (codes INSEE), `commune` "
        "(code INSEE ou nom), `naf` (code de tout niveau : C, 10, 10.7, 10.71, 10.71C), "
        "`filiere` (identifiant court), `size` (TPE, PME, ETI, GE), `export_status` (never, "
        "new, occasional, regular), `active` (entreprises actives seulement). Un lieu ou une "
        "activité s'entend d'un établissement de l'entreprise. Résultats par pertinence quand "
        "`q` est un nom, sinon par nom ; 25 par page (`page_size` jusqu'à 100)."
    ),
)
def company_search(request, params: Query[SearchQuery]):
    data = params.dict(exclude={"page", "page_size", "active"})
    form = SearchForm({**data, "active": "on" if params.active else ""})
    if not form.is_valid():
        raise _invalid(form.errors)
    page_size = _validated_page_size(params)
    paginator = CappedPaginator(with_headquarters(search_companies(form.filters())), page_size)
    try:
        page = paginator.page(params.page)
    except EmptyPage:
        message = f"La page {params.page} n'existe pas : il y a {paginator.num_pages} page(s)."
        raise _invalid({"page": [message]}) from None
    return {
        "count": paginator.count,
        "count_capped": paginator.capped,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_result(company) for company in page],
    }
