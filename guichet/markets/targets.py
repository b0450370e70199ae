"""Target markets for the region: a filière or an HS product → markets ranked by unrealised
export potential (MARKETS.md §3).

France's export potential per market × product (potential.export_potential, ITC method) is
weighted product by product by the region's weight in that product:
- its share of France's exports of the product, when French customs regional tables are
  loaded (customs Parquet, latest year, exports);
- otherwise its share of French salaried employment in the NAF codes producing the product
  (HS → ISIC → NAF division, isic.py), estimated from the company registry: active
  establishments, each counted at the midpoint of its SIRENE headcount band (the lower bound
  for the open top band, 0 without a band) — a stated proxy;
- when neither can be measured (the registry holds no establishment outside the region, or no
  salaried employment in those codes), France's own figures, said so.
Potential, actual exports and unrealised potential of a product are all scaled by the same
weight, so the realised share of a product is France's. Per market: sums over the products,
realised share = 1 − unrealised / potential, demand growth weighted by each product's
potential, the products with the largest unrealised potential. Raises potential.NoTradeData
when no trade year is loaded (the pages show their empty state).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Count

from guichet.markets import hs, isic, potential, storage
from guichet.markets.assumptions import current_assumptions
from guichet.markets.countries import iso3_names
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.markets.results import MarketTarget, PotentialRow, Targets

TOP_PRODUCTS = 3


# --- Which products ---------------------------------------------------------------------


def _data_products(year: int | None, level: str | None) -> tuple[int, set[str], list]:
    """(code length, products of the reference year, window datasets)."""
    datasets = potential.window(year)
    data = max((hs.LEVELS.get(d.product_level, 6) for d in datasets), default=6)
    digits = min(hs.level_digits(level), data) if level else data  # never finer than the data
    con = storage.connect()
    try:
        rows = con.execute(
            "SELECT DISTINCT substr(product, 1, ?) FROM read_parquet(?) WHERE value > 0",
            [digits, str(storage.absolute(datasets[-1].path))],
        ).fetchall()
    finally:
        con.close()
    return digits, {r[0] for r in rows if r[0] and len(r[0]) == digits}, datasets


def _prefixes(products: list[str], available: set[str]) -> list[str]:
    """The products as few prefixes as possible: a chapter when all its available products
    are wanted (export_potential takes prefixes)."""
    wanted = set(products)
    by_chapter: dict[str, set[str]] = defaultdict(set)
    for code in available:
        by_chapter[code[:2]].add(code)
    out: list[str] = []
    for chapter in sorted({p[:2] for p in wanted}):
        members = by_chapter.get(chapter, set())
        if members and members <= wanted:
            out.append(chapter)
        else:
            out.extend(sorted(p for p in wanted if p[:2] == chapter))
    return out


# --- The region's weight ----------------------------------------------------------------


@dataclass
class Weights:
    kind: str  # "customs" | "employment" | "none"
    label: str
    by_product: dict[str, float] = field(default_factory=dict)
    default: float = 1.0

    def of(self, product: str) -> float:
        if self.kind == "none":
            return 1.0
        for digits in (len(product), 4, 2):
            if product[:digits] in self.by_product:
                return self.by_product[product[:digits]]
        return self.default


def _region_phrase() -> str:
    return f"la région {settings.GUICHET_REGION_NAME}"


def customs_weights(products: list[str], digits: int) -> Weights | None:
    """The region's share of France's exports of each product (latest customs year), or None
    when no customs year is loaded or it holds no row of the region."""
    dataset = TradeDataset.objects.filter(kind=DatasetKind.CUSTOMS).order_by("-year", "-pk").first()
    if dataset is None or not storage.absolute(dataset.path).exists():
        return None
    from guichet.reference.models import Departement

    region = settings.GUICHET_REGION
    departements = list(Departement.objects.filter(region_id=region).values_list("code", flat=True))
    con = storage.connect()
    try:
        con.read_parquet(str(storage.absolute(dataset.path))).create_view("customs")
        con.execute("CREATE TEMP TABLE region_deps (code VARCHAR)")
        if departements:
            con.executemany("INSERT INTO region_deps VALUES (?)", [(d,) for d in departements])
        # Région rows when the file has them (a file may also break them down by
        # département: counting both would double the figures), else département rows.
        rows = con.execute(
            """
            WITH x AS (
                SELECT substr(product, 1, ?) AS code, region, departement, value
                FROM customs WHERE flow = 'X' AND year = ? AND value > 0
            ), grain AS (
                SELECT count(*) > 0 AS regional FROM x WHERE departement = '' AND region <> ''
            )
            SELECT x.code,
                   sum(CASE WHEN x.region = ?
                            OR (x.region = '' AND x.departement IN (SELECT code FROM region_deps))
                            THEN x.value ELSE 0 END) AS own,
                   sum(x.value) AS national
            FROM x CROSS JOIN grain
            WHERE (grain.regional AND x.departement = '')
               OR (NOT grain.regional AND x.departement <> '')
            GROUP BY x.code
            """,
            [digits, dataset.year, region],
        ).fetchall()
    finally:
        con.close()
    if not rows or sum(r[1] for r in rows) <= 0:
        return None
    table = {r[0]: (r[1], r[2]) for r in rows}
    shares: dict[str, float] = {}
    own_total = national_total = 0.0
    for product in products:
        found = next(
            (table[product[:d]] for d in (len(product), 4, 2) if product[:d] in table), None
        )
        if found and found[1] > 0:
            shares[product] = found[0] / found[1]
            own_total += found[0]
            national_total += found[1]
    default = own_total / national_total if national_total > 0 else 0.0
    label = (
        f"Potentiel de la France pondéré, produit par produit, par la part de {_region_phrase()} "
        f"dans les exportations françaises du produit (douanes, tableaux régionaux "
        f"{dataset.year})."
    )
    return Weights("customs", label, shares, default)


def _band_midpoints() -> dict[str, float]:
    from guichet.reference.models import HeadcountBand

    return {
        band.code: (
            float(band.min_employees)
            if band.max_employees is None
            else (band.min_employees + band.max_employees) / 2.0
        )
        for band in HeadcountBand.objects.all()
    }


def employment_by_division(subclasses: list[str]) -> dict[str, tuple[float, float]]:
    """NAF division → (employment in the region, employment in France) over the registry's
    active establishments in France whose activity is one of `subclasses`."""
    from guichet.companies.models import Establishment

    if not subclasses:
        return {}
    midpoints = _band_midpoints()
    region = settings.GUICHET_REGION
    groups = (
        Establishment.objects.filter(is_active=True, region__isnull=False, naf_id__in=subclasses)
        .values("naf_id", "region_id", "headcount_band_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for group in groups:
        jobs = group["n"] * midpoints.get(group["headcount_band_id"] or "", 0.0)
        entry = found[group["naf_id"][:2]]
        entry[1] += jobs
        if group["region_id"] == region:
            entry[0] += jobs
    return {division: (own, national) for division, (own, national) in found.items()}


def _registry_reaches_beyond_region() -> bool:
    from guichet.companies.models import Establishment

    return (
        Establishment.objects.filter(is_active=True, region__isnull=False)
        .exclude(region_id=settings.GUICHET_REGION)
        .exists()
    )


def _none(reason: str) -> Weights:
    return Weights(
        "none",
        f"Chiffres de la France, non pondérés : {reason} ; la part de la région ne peut donc "
        "pas être mesurée (et aucune donnée douanière régionale ne la concerne).",
    )


def employment_weights(products: list[str], divisions: list[str]) -> Weights:
    """The region's share of French employment in the NAF codes of each product (restricted
    to `divisions`, the subject's), or France's figures when it cannot be measured."""
    from guichet.companies.filieres import naf_subclasses_under

    if not _registry_reaches_beyond_region():
        return _none(
            f"le registre des entreprises ne contient aucun établissement hors de "
            f"{_region_phrase()}"
        )
    by_division = employment_by_division(naf_subclasses_under(divisions))
    own_total = sum(v[0] for v in by_division.values())
    national_total = sum(v[1] for v in by_division.values())
    if national_total <= 0:
        return _none(
            "le registre des entreprises ne compte aucun emploi salarié dans les codes NAF "
            "correspondants"
        )
    wanted = set(divisions)
    shares: dict[str, float] = {}
    for product in products:
        divs = wanted & set(isic.naf_divisions_for_hs(product))
        own = sum(by_division.get(d, (0.0, 0.0))[0] for d in divs)
        national = sum(by_division.get(d, (0.0, 0.0))[1] for d in divs)
        if national > 0:
            shares[product] = own / national
    label = (
        f"Potentiel de la France pondéré, produit par produit, par la part de {_region_phrase()} "
        "dans l'emploi salarié français des codes NAF correspondants (approximation : "
        "établissements actifs du registre des entreprises, au milieu de leur tranche "
        "d'effectifs), faute de données douanières régionales chargées."
    )
    return Weights("employment", label, shares, own_total / national_total)


def regional_weights(products: list[str], divisions: list[str], digits: int) -> Weights:
    return customs_weights(products, digits) or employment_weights(products, divisions)


# --- Ranking ----------------------------------------------------------------------------


def rank_markets(rows: list[PotentialRow], weights: Weights) -> list[MarketTarget]:
    """Per market: the weighted sums, largest unrealised potential first."""
    by_market: dict[str, list[tuple[PotentialRow, float]]] = defaultdict(list)
    for row in rows:
        by_market[row.market].append((row, weights.of(row.product)))
    names = iso3_names(by_market)
    targets = []
    for market, items in by_market.items():
        potential_sum = sum(r.potential * w for r, w in items)
        actual = sum(r.actual * w for r, w in items)
        unrealised = sum(r.unrealised * w for r, w in items)
        if potential_sum > 0:
            growth = sum(r.demand_growth * r.potential * w for r, w in items) / potential_sum
        else:
            growth = sum(r.demand_growth for r, _w in items) / len(items)
        distance = next((r.distance_km for r, _w in items if r.distance_km is not None), None)
        products = sorted(
            ((r.product, r.unrealised * w) for r, w in items if r.unrealised * w > 0),
            key=lambda p: (-p[1], p[0]),
        )[:TOP_PRODUCTS]
        targets.append(
            MarketTarget(
                market=market,
                name=names.get(market, market),
                potential=potential_sum,
                actual=actual,
                realised_share=(1.0 - unrealised / potential_sum) if potential_sum > 0 else 0.0,
                unrealised=unrealised,
                distance_km=distance,
                demand_growth=growth,
                top_products=[(code, hs.product_label(code), value) for code, value in products],
            )
        )
    targets.sort(key=lambda t: (-t.unrealised, -t.potential, t.name))
    return targets


def _targets(
    *,
    subject: str,
    products: list[str],
    divisions: list[str],
    available: set[str],
    digits: int,
    datasets,
    assumptions,
    limit,
    notes: list[str],
) -> Targets:
    assumptions = assumptions or current_assumptions()
    if products:
        table = potential.export_potential(
            exporter="FRA",
            year=datasets[-1].year,
            products=_prefixes(products, available),
            assumptions=assumptions,
            level=f"hs{digits}",
        )
        wanted = set(products)
        rows = [r for r in table.rows if r.product in wanted]
        basis = table.basis
    else:
        rows = []
        basis = potential.basis(datasets, potential.Hygiene(), assumptions)
    weights = regional_weights(products, divisions, digits)
    ranked = rank_markets(rows, weights)
    if limit:
        ranked = ranked[:limit]
    regional = weights.kind != "none"
    return Targets(
        subject=subject,
        products=[(code, hs.product_label(code)) for code in products],
        exporter=f"R{settings.GUICHET_REGION}" if regional else "FRA",
        exporter_label=settings.GUICHET_REGION_NAME if regional else "France",
        weighting=weights.kind,
        weighting_label=weights.label,
        rows=ranked,
        basis=replace(basis, notes=[*basis.notes, weights.label, *notes]),
    )


def filiere_targets(
    filiere, *, year=None, assumptions=None, limit=None, level: str | None = None
) -> Targets:
    """Markets for a filière (companies.Filiere): its NAF codes → HS products present in the
    data → France's potential weighted for the region, ranked by unrealised potential."""
    digits, available, datasets = _data_products(year, level)
    divisions = isic.filiere_divisions(filiere)
    products = isic.hs_products_for_divisions(divisions, level=f"hs{digits}", available=available)
    notes = [f"Produits de la filière : {isic.mapping_source()}."]
    if not products:
        notes.append(
            "Aucun produit SH ne correspond aux codes NAF de cette filière (activités de "
            "services ou codes sans production de biens) : pas de marché à classer."
        )
    return _targets(
        subject=f"Filière {filiere.name}",
        products=products,
        divisions=divisions,
        available=available,
        digits=digits,
        datasets=datasets,
        assumptions=assumptions,
        limit=limit,
        notes=notes,
    )


def product_targets(
    product: str, *, year=None, assumptions=None, limit=None, level: str | None = None
) -> Targets:
    """Markets for an HS product (2, 4 or 6 digits; a code coarser than the data takes every
    product of the data under it, a finer one its parent at the data's level)."""
    code = str(product or "").strip()
    digits, available, datasets = _data_products(year, level)
    if len(code) >= digits:
        products = [code[:digits]] if code[:digits] in available else []
    else:
        products = sorted(p for p in available if p.startswith(code))
    notes = []
    if not products:
        notes.append(f"Le produit SH {code} n'apparaît pas dans les données chargées.")
    return _targets(
        subject=f"SH {code} — {hs.product_label(code)}",
        products=products,
        divisions=isic.naf_divisions_for_hs(code),
        available=available,
        digits=digits,
        datasets=datasets,
        assumptions=assumptions,
        limit=limit,
        notes=notes,
    )
