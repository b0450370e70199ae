from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from guichet.partners.models import Organisation
from guichet.partners.selectors import organisations_directory

router = Router(tags=["Partenaires"])


class TerritoryOut(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    is_active: bool
    regions: list[TerritoryOut]
    departements: list[TerritoryOut]

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_regions(obj: Organisation) -> list[dict]:
        return [{"code": r.code, "name": r.name} for r in obj.regions.all()]

    @staticmethod
    def resolve_departements(obj: Organisation) -> list[dict]:
        return [{"code": d.code, "name": d.name} for d in obj.departements.all()]


class KeyOut(Schema):
    name: str
    prefix: str
    created_at: datetime


class MeOut(Schema):
    organisation: OrganisationOut
    key: KeyOut


@router.get("/me", response=MeOut, summary="L'organisation de la clé utilisée")
def me(request):
    key = request.auth
    organisation = organisations_directory(include_inactive=True).get(pk=key.organisation_id)
    return {"organisation": organisation, "key": key}


@router.get(
    "/organisations", response=list[OrganisationOut], summary="Annuaire des organisations actives"
)
def organisation_list(request):
    return list(organisations_directory())


@router.get("/organisations/{slug}", response=OrganisationOut, summary="Une organisation")
def organisation_detail(request, slug: str):
    return get_object_or_404(organisations_directory(), slug=slug)
