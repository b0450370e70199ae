"""The year's de minimis grants for the national register of state aid: every live grant
under one of the three de minimis regulations that this platform's partners awarded (their
own aids, subsidised participations in collective actions, free services at market value).
Aids the company declared were granted by other bodies, who report them themselves."""

from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.stateaid import permissions, selectors
from guichet.stateaid.forms import RegisterYearForm
from guichet.stateaid.models import Regulation, StateAidGrant

# The regulations' numbers as the register names them.
REGULATION_NUMBERS = {
    Regulation.DE_MINIMIS: "2023/2831",
    Regulation.DE_MINIMIS_AGRI: "2024/3118",
    Regulation.DE_MINIMIS_SGEI: "2023/2832",
}

REGISTER_HEADERS = [
    "SIREN",
    "Raison sociale",
    "Date d'octroi",
    "Montant (ESB, €)",
    "Règlement (UE)",
    "Organisme octroyant",
    "Objet",
    "Référence interne",
    "Type d'aide",
]


def internal_reference(grant: StateAidGrant) -> str:
    """The ledger line's own number (stable), followed by where it comes from in the
    platform when known."""
    own = f"GE-AE-{grant.pk:06d}"
    return f"{own} ({grant.source_ref})" if grant.source_ref else own


def register_row(grant: StateAidGrant) -> tuple:
    return (
        grant.company.siren,
        grant.company.denomination or grant.company.name,
        grant.granted_on,
        grant.amount,
        REGULATION_NUMBERS[grant.regulation],
        grant.granting_body,
        grant.description,
        internal_reference(grant),
        grant.get_source_display(),
    )


def _by_regulation(year: int) -> list[dict]:
    figures = {
        row["regulation"]: row
        for row in selectors.register_grants(year)
        .order_by()
        .values("regulation")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }
    return [
        {
            "label": Regulation(code).label,
            "number": number,
            "count": figures.get(code, {}).get("count", 0),
            "total": figures.get(code, {}).get("total") or 0,
        }
        for code, number in REGULATION_NUMBERS.items()
    ]


def register_export(request):
    require(permissions.can_export_register(request.user))
    form = RegisterYearForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = form.chosen_year()
    fmt = request.GET.get("format", "")
    if fmt in FORMATS and not form.errors:
        return export_response(
            rows=(register_row(grant) for grant in selectors.register_grants(year).iterator()),
            headers=REGISTER_HEADERS,
            filename=f"registre-de-minimis-{year}",
            fmt=fmt,
            sheet=f"De minimis {year}",
        )
    context = {
        "title": "Export pour le registre national des aides de minimis",
        "breadcrumb_data": {
            "links": [],
            "current": "Registre des aides de minimis",
            "root_dir": "/",
        },
        "form": form,
        "year": year,
        "summary": selectors.register_summary(year),
        "by_regulation": _by_regulation(year),
        "headers": REGISTER_HEADERS,
    }
    return render(request, "stateaid/register.html", context)
