"""The demo catalogue (idempotent): offers of the demo partners, with audiences, diagnostic
dimensions and stages; yearly offers are dated for the current year."""

from datetime import date

from django.utils import timezone

from guichet.companies.models import Filiere
from guichet.offers.demo_offers import OFFERS
from guichet.offers.services import offer_upsert
from guichet.partners.models import Organisation
from guichet.reference.models import Region


def _fields(row: dict, year: int, filieres: dict, regions: dict) -> dict:
    fields = {k: v for k, v in row.items() if k not in ("slug", "provider", "year")}
    fields["filieres"] = [filieres[s] for s in row.get("filieres", []) if s in filieres]
    fields["regions"] = [regions[c] for c in row.get("regions", []) if c in regions]
    for name in ("valid_from", "valid_until"):
        fields[name] = date.fromisoformat(row[name]) if row.get(name) else None
    if row.get("year"):
        fields["valid_from"], fields["valid_until"] = date(year, 1, 1), date(year, 12, 31)
    return fields


def load(*, password: str, stdout) -> list:
    year = timezone.localdate().year
    providers = {
        o.slug: o for o in Organisation.objects.filter(slug__in={r["provider"] for r in OFFERS})
    }
    filieres = {f.slug: f for f in Filiere.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    changed = 0
    for row in OFFERS:
        provider = providers.get(row["provider"])
        if provider is None:
            continue
        _offer, was_changed = offer_upsert(
            slug=row["slug"], provider=provider, **_fields(row, year, filieres, regions)
        )
        changed += was_changed
    stdout.write(f"Offres du catalogue : {len(OFFERS)} ({changed} créées ou mises à jour)")
    return []
