"""An advisor's portfolio: the companies they lead, filters, the companies to contact again,
exports; and the transfer of the whole portfolio or part of it to a colleague."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.companies.models import Establishment
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import is_platform_admin, require
from guichet.journeys import permissions, services
from guichet.journeys.forms import PortfolioFilterForm, TransferForm, working_people
from guichet.journeys.models import Journey, Stage
from guichet.journeys.portfolio import (
    PortfolioFilters,
    alert_days,
    filtered,
    overdue_actions,
    portfolio_journeys,
    stage_counts,
    to_contact,
)
from guichet.journeys.selectors import today
from guichet.journeys.views.journey import add_errors
from guichet.partners.models import User
from guichet.reference.models import Departement

PAGE_SIZE = 100
ALERTS_SHOWN = 10
EXPORT_HEADERS = [
    "SIREN",
    "Entreprise",
    "Étape",
    "À cette étape depuis",
    "Dernier contact",
    "Jours sans contact",
    "Prochaine action",
    "Échéance",
    "Commune",
    "Département",
    "Suivie depuis",
    "Fiche de l'entreprise",
]


def _owner(request) -> User:
    """Whose portfolio is shown: mine, or a colleague's (?conseiller=pk) for those allowed."""
    raw = request.GET.get("conseiller", "")
    if not raw or raw == str(request.user.pk):
        require(permissions.can_view_portfolio(request.user, request.user))
        return request.user
    if not raw.isdigit():
        raise Http404("Conseiller inconnu.")
    owner = get_object_or_404(User.objects.select_related("organisation"), pk=raw)
    require(permissions.can_view_portfolio(request.user, owner))
    return owner


def _owners(user, owner: User):
    """Whose portfolio the user may choose (None: only their own)."""
    if is_platform_admin(user):
        leaders = Journey.objects.exclude(lead_advisor=None).values("lead_advisor_id")
        return working_people().filter(Q(pk__in=leaders) | Q(pk__in=[user.pk, owner.pk]))
    if user.has_role("manager"):
        return working_people(user.organisation_id)
    return None


def _filters(form: PortfolioFilterForm) -> PortfolioFilters:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    departement = data.get("departement")
    return PortfolioFilters(
        stage=data.get("stage") or "",
        filiere=data.get("filiere"),
        departement=departement.pk if departement else "",
        to_contact=bool(data.get("relance")),
        days=data.get("jours") or alert_days(),
    )


def _days_since(moment, day) -> int | None:
    return (day - timezone.localtime(moment).date()).days if moment else None


def _row(journey: Journey, day) -> dict:
    return {
        "journey": journey,
        "company": journey.company,
        "since": _days_since(journey.stage_since, day),
        "last_contact": journey.last_contact,
        "days_without_contact": _days_since(journey.last_contact, day),
        "next_overdue": journey.next_due is not None and journey.next_due < day,
    }


def _export(request, journeys, fmt: str, owner: User):
    day = today()

    def row(journey: Journey) -> tuple:
        url = reverse("companies:detail", args=[journey.company.siren])
        return (
            journey.company.siren,
            journey.company.name,
            str(Stage(journey.stage).label),
            timezone.localtime(journey.stage_since).date(),
            timezone.localtime(journey.last_contact).date() if journey.last_contact else None,
            _days_since(journey.last_contact, day),
            journey.next_title or "",
            journey.next_due,
            journey.commune or "",
            journey.departement or "",
            timezone.localtime(journey.started_at).date(),
            request.build_absolute_uri(url),
        )

    return export_response(
        rows=(row(journey) for journey in journeys.iterator(chunk_size=500)),
        headers=EXPORT_HEADERS,
        filename=f"portefeuille-{owner.last_name.lower() or owner.pk}",
        fmt=fmt,
        sheet="Portefeuille",
    )


def _departements(owner: User):
    located = Establishment.objects.filter(
        is_headquarters=True, company__journey__lead_advisor=owner
    ).values("departement_id")
    return Departement.objects.filter(code__in=located).order_by("code")


def portfolio(request):
    owner = _owner(request)
    viewer = request.user
    owners = _owners(viewer, owner)
    data = request.GET.copy() if request.GET else None
    if owners is not None:
        data = data or request.GET.copy()
        data["conseiller"] = str(owner.pk)
    form = PortfolioFilterForm(
        data,
        owners=owners,
        departements=_departements(owner),
        default_days=alert_days(),
    )
    filters = _filters(form)
    journeys = filtered(portfolio_journeys(owner=owner, viewer=viewer), filters).order_by(
        "company__name", "pk"
    )
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(request, journeys, fmt, owner)
    day = today()
    page = Paginator(journeys, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    alerts = to_contact(owner=owner, viewer=viewer, days=filters.days)
    counts = stage_counts(owner)
    own = owner.pk == viewer.pk
    context = {
        "title": "Mon portefeuille" if own else f"Portefeuille de {owner.get_full_name()}",
        "owner": owner,
        "own": own,
        "form": form,
        "choose_owner": "conseiller" in form.fields,
        "page_obj": page,
        "rows": [_row(journey, day) for journey in page],
        "filtered": any([filters.stage, filters.filiere, filters.departement, filters.to_contact]),
        "stages": [
            {
                "value": value,
                "label": label,
                "count": counts[value],
                "url": _url(owner, own, stage=value),
                "selected": filters.stage == value,
            }
            for value, label in Stage.choices
        ],
        "total": sum(counts.values()),
        "overdue": overdue_actions(owner, day),
        "alert_days": filters.days,
        "alert_count": alerts.count(),
        "alerts": [_row(journey, day) for journey in alerts[:ALERTS_SHOWN]],
        "alert_url": _alert_url(request, filters.days),
        "transfer_url": reverse("journeys:transfer") + ("" if own else f"?conseiller={owner.pk}"),
        "can_transfer": permissions.can_transfer_portfolio(viewer, owner),
        "can_view_funnel": permissions.can_view_funnel(viewer),
        "reset_url": _url(owner, own),
    }
    return render(request, "journeys/portfolio.html", context)


def _url(owner: User, own: bool, **params) -> str:
    if not own:
        params = {"conseiller": owner.pk, **params}
    query = urlencode(params)
    return reverse("journeys:portfolio") + (f"?{query}" if query else "")


def _alert_url(request, days: int) -> str:
    params = request.GET.copy()
    for key in ("page", "format", "stage", "filiere", "departement"):
        params.pop(key, None)
    params["relance"] = "on"
    params["jours"] = str(days)
    return reverse("journeys:portfolio") + "?" + params.urlencode()


# --- Transfer -------------------------------------------------------------------------------


def _transfer_message(owner, to_user, moved: dict) -> str:
    companies, actions = moved["journeys"], moved["actions"]
    text = (
        f"{companies} entreprise{'s' if companies > 1 else ''} "
        f"{'passent' if companies > 1 else 'passe'} du portefeuille de "
        f"{owner.get_full_name()} à celui de {to_user.get_full_name()}"
    )
    if actions:
        text += f", avec {actions} action{'s' if actions > 1 else ''} à mener"
    return text + "."


def transfer(request):
    owner = _owner(request)
    require(permissions.can_transfer_portfolio(request.user, owner))
    journeys = list(
        Journey.objects.filter(lead_advisor=owner)
        .select_related("company")
        .order_by("company__name", "pk")
    )
    choices = [(str(j.company_id), f"{j.company.name} — {j.get_stage_display()}") for j in journeys]
    colleagues = working_people(owner.organisation_id).exclude(pk=owner.pk)
    form = TransferForm(
        request.POST if request.method == "POST" else None,
        companies=choices,
        colleagues=colleagues,
    )
    if request.method == "POST" and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            moved = services.journey_transfer(
                from_user=owner,
                to_user=to_user,
                by=request.user,
                company_ids=form.company_ids(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _transfer_message(owner, to_user, moved))
            query = "" if owner.pk == request.user.pk else f"?conseiller={owner.pk}"
            return redirect(reverse("journeys:portfolio") + query)
    own = owner.pk == request.user.pk
    context = {
        "title": "Transférer des entreprises du portefeuille",
        "owner": owner,
        "own": own,
        "form": form,
        "count": len(journeys),
        "has_colleagues": colleagues.exists(),
        "owner_query": "" if own else f"?conseiller={owner.pk}",
    }
    return render(request, "journeys/transfer.html", context)
