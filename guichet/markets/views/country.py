"""A country's sheet: its imports of the explorer's subject (a filière's products or one HS
product), its main suppliers, France's share and trend, the distance, and the partners'
presence there (cooperation agreements, V.I.E. missions, collective actions)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from guichet.companies.models import Filiere
from guichet.core import charts
from guichet.core.permissions import require
from guichet.markets import permissions, selectors
from guichet.markets.forms import HS_CODE
from guichet.markets.views.explorer import percent, subject_query, usd


def _subject(request) -> dict:
    """The explorer's subject carried in the query string (?filiere= or ?produit=)."""
    filiere_id, code = request.GET.get("filiere", ""), request.GET.get("produit", "").strip()
    year = request.GET.get("annee", "")
    year = int(year) if year.isdigit() and int(year) in selectors.trade_years() else None
    if filiere_id.isdigit():
        filiere = Filiere.objects.filter(pk=int(filiere_id)).first()
        if filiere is not None:
            return {
                "filiere": filiere,
                "products": selectors.filiere_products(filiere),
                "label": f"Filière {filiere.name}",
                "year": year,
                "query": subject_query(filiere=filiere, year=year),
            }
    if HS_CODE.match(code):
        label = selectors.product_label(code)
        return {
            "product": code,
            "products": [code],
            "label": f"SH {code} — {label}" if label else f"SH {code}",
            "year": year,
            "query": subject_query(product=code, year=year),
        }
    return {"products": None, "label": "Tous produits", "year": year, "query": ""}


def _imports_chart(facts: dict):
    trend = facts.get("imports_trend") or []
    if len(trend) < 2:
        return None
    return charts.line_chart(
        chart_id="importations",
        title=f"Importations des produits retenus — {facts['name']} (millions de dollars)",
        description="Évolution des importations des produits retenus, année par année.",
        categories=[str(year) for year, _ in trend],
        series=[charts.Series("Importations (M$)", [value / 1e6 for _, value in trend])],
        decimals=1,
        category_header="Année",
    )


def _share_chart(facts: dict):
    trend = facts.get("france_share_trend") or []
    if len(trend) < 2:
        return None
    return charts.line_chart(
        chart_id="part-france",
        title="Part de la France dans ces importations (%)",
        description="Évolution de la part de marché de la France, année par année.",
        categories=[str(year) for year, _ in trend],
        series=[charts.Series("Part de la France (%)", [share * 100 for _, share in trend])],
        decimals=1,
        unit="%",
        category_header="Année",
    )


def _facts_view(facts: dict | None) -> dict:
    if facts is None:
        return {}
    return {
        "facts": facts,
        "basis": facts.get("basis"),
        "imports": usd(facts.get("imports")),
        "france_share": percent(facts.get("france_share")),
        "distance": charts.fr_number(facts["distance_km"], 0, "km")
        if facts.get("distance_km") is not None
        else None,
        "suppliers": [
            {
                "iso3": iso3,
                "name": name,
                "value": usd(value),
                "share": percent(share),
                "france": iso3 == "FRA",
            }
            for iso3, name, value, share in (facts.get("suppliers") or [])[:10]
        ],
        "imports_chart": _imports_chart(facts),
        "share_chart": _share_chart(facts),
    }


def country(request, iso3: str):
    require(permissions.can_view_markets(request.user))
    found = selectors.country_by_iso3(iso3)
    if found is None:
        raise Http404("Aucun pays ne porte ce code.")
    subject = _subject(request)
    facts = selectors.facts_for(found.iso3, products=subject["products"], year=subject["year"])
    context = {
        "title": f"{found.name_fr} — fiche pays",
        "country": found,
        "subject": subject,
        "has_data": selectors.has_trade_data(),
        "can_load": permissions.can_load_market_data(request.user),
        "explorer_url": reverse("markets:explorer") + subject["query"],
        "agreements": list(selectors.agreements(country=found)),
        "can_record_agreement": permissions.can_record_agreement(request.user),
        "vie": selectors.vie_in_country(found, request.user),
        "actions": selectors.actions_in_country(found, request.user, today=timezone.localdate()),
        "markets_tab": "explorer",
        "breadcrumb_data": {
            "links": [{"url": reverse("markets:explorer") + subject["query"], "title": "Marchés"}],
            "current": found.name_fr,
            "root_dir": "/",
        },
    }
    context.update(_facts_view(facts))
    return render(request, "markets/country.html", context)
