"""World complexity from the loaded trade Parquet: exporter × product values aggregated with
DuckDB at the level asked for, the measures of complexity.py, cached as Parquet (cache.py).

Levels: "hs2", "hs4", "hs6" (the first 2, 4 or 6 digits of the HS code; a year loaded at HS4
cannot give HS6: the basis says so) and "section" (the 21 HS sections, via
guichet.markets.hs.section_of).

Small-exporter filter (on by default): as the Observatory of Economic Complexity does, only
exporters with a population of at least 1 million (macro.parquet, latest year up to the trade
year) and exports of at least USD 1 billion that year enter the computation, or small
territories top the rankings. Without macro data only the exports threshold applies; when
fewer than two exporters pass (small test or sample files), no filter is applied. The basis
notes say which.

No trade year loaded: `NoTradeData` (a LookupError whose message tells what to do, in French).
"""

from __future__ import annotations

import json

import numpy as np

from guichet.markets import cache, storage
from guichet.markets.complexity import compute
from guichet.markets.results import ComplexityResult, DataBasis

LEVELS = {"hs2": 2, "hs4": 4, "hs6": 6, "section": None}
MIN_POPULATION = 1_000_000
MIN_EXPORTS_USD = 1_000_000_000
SOURCE_PREFERENCE = ["baci", "comtrade", "demo"]
SOURCE_LABELS = {
    "baci": "CEPII BACI",
    "comtrade": "UN Comtrade",
    "demo": "Données de démonstration",
}
NO_DATA_MESSAGE = (
    "Aucune année de commerce mondial n'est chargée. Un administrateur charge une année BACI "
    "sur /marches/donnees/ ou avec « python manage.py load_trade », ou lance « make demo » "
    "pour des données de démonstration."
)


class NoTradeData(LookupError):
    """No trade year loaded (or not the one asked for); str() is the French message."""


def _trade_queryset():
    from guichet.markets.models import DatasetKind, TradeDataset

    return TradeDataset.objects.filter(kind=DatasetKind.TRADE)


def latest_trade_year() -> int | None:
    """The most recent year of a loaded trade dataset, None when there is none."""
    years = _trade_queryset().exclude(year=0).values_list("year", flat=True)
    return max(years, default=None)


def trade_datasets(year: int | None = None) -> list:
    """The trade datasets of `year` (default: the latest), preferred source first (BACI,
    Comtrade, then the demonstration data)."""
    if year is None:
        year = latest_trade_year()
        if year is None:
            return []
    datasets = list(_trade_queryset().filter(year=int(year)))

    def rank(dataset):
        source = dataset.source
        return SOURCE_PREFERENCE.index(source) if source in SOURCE_PREFERENCE else 99

    return sorted(datasets, key=rank)


def _dataset(year):
    datasets = trade_datasets(year)
    if not datasets:
        if year is not None and latest_trade_year() is not None:
            raise NoTradeData(
                f"Aucune donnée de commerce mondial chargée pour {year}. " + NO_DATA_MESSAGE
            )
        raise NoTradeData(NO_DATA_MESSAGE)
    return datasets[0]


def basis_for(year: int | None = None) -> DataBasis:
    """Which data the results for `year` (default: the latest) come from."""
    dataset = _dataset(year)
    return _basis(dataset, [])


def _basis(dataset, notes: list[str]) -> DataBasis:
    is_demo = bool(dataset.is_demo or dataset.source == "demo")
    label = SOURCE_LABELS.get(dataset.source, dataset.get_source_display())
    if is_demo and dataset.source != "demo":
        label = f"Données de démonstration ({label})"
    return DataBasis(
        source_label=f"{label} {dataset.year}",
        year=dataset.year,
        years_used=[dataset.year],
        is_demo=is_demo,
        notes=list(notes),
    )


def _macro_population(con, year: int) -> dict[str, float] | None:
    from guichet.markets.models import DatasetKind, TradeDataset

    path = storage.macro_path()
    if not TradeDataset.objects.filter(kind=DatasetKind.MACRO).exists() or not path.exists():
        return None
    rows = con.execute(
        "SELECT country, population FROM ("
        " SELECT country, population, row_number() OVER ("
        "  PARTITION BY country ORDER BY CASE WHEN year <= ? THEN 0 ELSE 1 END,"
        "  abs(year - ?)) AS rank"
        " FROM read_parquet(?) WHERE population IS NOT NULL) AS ranked WHERE rank = 1",
        [int(year), int(year), str(path)],
    ).fetchall()
    return {country: float(population) for country, population in rows}


def _aggregate(dataset, level: str):
    """(exporters, products, values matrix, notes) at `level`, all exporters."""
    digits = LEVELS[level]
    notes = []
    con = storage.connect()
    try:
        path = storage.absolute(dataset.path)
        source_digits = {"hs2": 2, "hs4": 4, "hs6": 6}.get(dataset.product_level, 6)
        width = digits if digits is not None else source_digits
        if digits is not None and digits > source_digits:
            notes.append(
                f"Données chargées au niveau SH{source_digits} : résultats au niveau "
                f"SH{source_digits}, pas SH{digits}."
            )
        con.execute(
            "CREATE TEMP TABLE flows AS SELECT exporter, code, sum(value) AS value FROM ("
            " SELECT exporter, left(product, ?) AS code, value FROM read_parquet(?)"
            " WHERE value > 0) AS trade GROUP BY exporter, code",
            [width, str(path)],
        )
        exporters = [
            r[0] for r in con.execute("SELECT DISTINCT exporter FROM flows ORDER BY 1").fetchall()
        ]
        codes = [r[0] for r in con.execute("SELECT DISTINCT code FROM flows ORDER BY 1").fetchall()]
        # Integer positions rather than a million Python strings.
        cells = con.execute(
            "SELECT dense_rank() OVER (ORDER BY exporter) - 1 AS row_index, "
            "dense_rank() OVER (ORDER BY code) - 1 AS column_index, value FROM flows"
        ).fetchnumpy()
        population = _macro_population(con, dataset.year)
    finally:
        con.close()
    rows = np.asarray(cells["row_index"], dtype=np.int64)
    columns = np.asarray(cells["column_index"], dtype=np.int64)
    values = np.asarray(cells["value"], dtype=np.float64)
    del cells
    products = codes
    if level == "section":
        try:
            from guichet.markets.hs import section_of
        except ImportError:
            raise NoTradeData(
                "Le regroupement par section SH n'est pas disponible (table des sections "
                "absente) : choisissez SH2, SH4 ou SH6."
            ) from None
        sections = [section_of(code)[0] or "NC" for code in codes]
        products = sorted(set(sections))
        position = {section: i for i, section in enumerate(products)}
        columns = np.asarray([position[section] for section in sections], dtype=np.int64)[columns]
    matrix = np.zeros((len(exporters), len(products)))
    np.add.at(matrix, (rows, columns), values)
    return list(exporters), list(products), matrix, notes, population


def _filter(exporters, matrix, population, exporters_asked, small_exporter_filter, notes):
    keep = np.ones(len(exporters), dtype=bool)
    if exporters_asked:
        asked = {code.upper() for code in exporters_asked}
        keep &= np.asarray([code in asked for code in exporters])
    if small_exporter_filter:
        totals = matrix.sum(axis=1)
        passing = keep & (totals >= MIN_EXPORTS_USD)
        if population is not None:
            passing &= np.asarray([population.get(code, 0) >= MIN_POPULATION for code in exporters])
            rule = "population d'au moins 1 million et exportations d'au moins 1 milliard USD"
        else:
            rule = (
                "exportations d'au moins 1 milliard USD (pas de données de population "
                "chargées : le seuil de population n'est pas appliqué)"
            )
        if passing.sum() >= 2:
            notes.append(
                f"Petits exportateurs écartés ({int(keep.sum() - passing.sum())}) : "
                f"seuls comptent les pays avec {rule}, comme l'Observatoire de la complexité "
                "économique."
            )
            keep = passing
        else:
            notes.append(
                "Filtre des petits exportateurs non appliqué : moins de deux pays le passent "
                f"({rule})."
            )
    return keep


def _write_result(result: ComplexityResult, basis_notes: list[str], path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n_loc, n_prod = result.rca.shape
    loc_codes = np.repeat(np.arange(n_loc, dtype=np.int32), n_prod)
    prod_codes = np.tile(np.arange(n_prod, dtype=np.int32), n_loc)
    table = pa.table(
        {
            "exporter": pa.DictionaryArray.from_arrays(loc_codes, pa.array(result.locations)),
            "product": pa.DictionaryArray.from_arrays(prod_codes, pa.array(result.products)),
            "value": result.values.ravel(),
            "rca": result.rca.ravel(),
            "mcp": result.mcp.ravel(),
            "density": result.density.ravel(),
            "cog": result.cog.ravel(),
        }
    )
    meta = {
        "locations": result.locations,
        "products": result.products,
        "eci": [None if np.isnan(x) else float(x) for x in result.eci],
        "pci": [None if np.isnan(x) else float(x) for x in result.pci],
        "diversity": [int(x) for x in result.diversity],
        "ubiquity": [int(x) for x in result.ubiquity],
        "notes": result.notes,
        "basis_notes": basis_notes,
    }
    table = table.replace_schema_metadata({"guichet": json.dumps(meta)})
    pq.write_table(table, path)


def _read_result(path) -> tuple[ComplexityResult, list[str]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"guichet"])
    shape = (len(meta["locations"]), len(meta["products"]))

    def column(name, dtype):
        return table.column(name).to_numpy().astype(dtype, copy=False).reshape(shape)

    def floats(items):
        return np.asarray([np.nan if x is None else x for x in items], dtype=np.float64)

    result = ComplexityResult(
        locations=meta["locations"],
        products=meta["products"],
        values=column("value", np.float64),
        rca=column("rca", np.float64),
        mcp=column("mcp", np.int8),
        diversity=np.asarray(meta["diversity"], dtype=np.int64),
        ubiquity=np.asarray(meta["ubiquity"], dtype=np.int64),
        eci=floats(meta["eci"]),
        pci=floats(meta["pci"]),
        density=column("density", np.float32),
        cog=column("cog", np.float32),
        notes=meta["notes"],
    )
    return result, meta["basis_notes"]


def world_complexity(
    *,
    year: int | None = None,
    level: str = "hs4",
    exporters: set[str] | None = None,
    small_exporter_filter: bool = True,
    keep_proximity: bool = False,
) -> tuple[ComplexityResult, DataBasis]:
    """Every measure of MARKETS.md §1 over the world trade of `year` (default: the latest) at
    `level`, for `exporters` (default: all) after the small-exporter filter. Cached as
    Parquet; the proximity matrix (keep_proximity) is recomputed, never cached."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    dataset = _dataset(year)
    params = {
        "year": dataset.year,
        "source": dataset.source,
        "level": level,
        "exporters": sorted(exporters) if exporters else None,
        "filter": bool(small_exporter_filter),
    }

    def build():
        locations, products, matrix, notes, population = _aggregate(dataset, level)
        if not locations:
            raise NoTradeData(f"Le fichier de commerce {dataset.year} ne contient aucun échange.")
        keep = _filter(locations, matrix, population, exporters, small_exporter_filter, notes)
        if keep.sum() == 0:
            raise NoTradeData("Aucun des exportateurs demandés n'est dans les données chargées.")
        kept = [code for code, flag in zip(locations, keep, strict=True) if flag]
        result = compute(matrix[keep], kept, products, keep_proximity=keep_proximity)
        return result, notes

    if keep_proximity:
        result, notes = build()
        return result, _basis(dataset, notes + result.notes)

    key = cache.inputs_key("complexity", **params)
    computed = {}

    def write(path):
        result, notes = build()
        computed["result"] = (result, notes)
        _write_result(result, notes, path)

    # One file per variant (a variant's recomputation removes only its own older files).
    name = f"complexity-{level}" + ("" if small_exporter_filter else "-all")
    if exporters:
        name += "-" + cache.inputs_key("exporters", codes=params["exporters"])[:8]
    path = cache.cached_table(name, key, write)
    if "result" in computed:
        result, notes = computed["result"]
    else:
        result, notes = _read_result(path)
    return result, _basis(dataset, notes + result.notes)


def rca_rows(
    *, exporter: str, year: int | None = None, level: str = "hs4"
) -> tuple[list[dict], DataBasis]:
    """One row per product for `exporter`, most advantaged first: product, label, value,
    rca, mcp, density, cog, pci. A small exporter left out by the filter is computed without
    it (the basis says so); an exporter absent from the data gives no rows."""
    exporter = exporter.upper()
    result, basis = world_complexity(year=year, level=level)
    if exporter not in result.locations:
        result, basis = world_complexity(year=year, level=level, small_exporter_filter=False)
        if exporter in result.locations:
            basis.notes.append(
                f"{exporter} ne passe pas le filtre des petits exportateurs : calcul sans filtre."
            )
    if exporter not in result.locations:
        return [], basis
    label = _labeller(level)

    i = result.locations.index(exporter)
    rows = []
    for k, code in enumerate(result.products):
        pci = result.pci[k]
        rows.append(
            {
                "product": code,
                "label": label(code),
                "value": float(result.values[i, k]),
                "rca": float(result.rca[i, k]),
                "mcp": int(result.mcp[i, k]),
                "density": float(result.density[i, k]),
                "cog": float(result.cog[i, k]),
                "pci": None if np.isnan(pci) else float(pci),
            }
        )
    rows.sort(key=lambda row: (-row["rca"], row["product"]))
    return rows, basis


def _labeller(level: str):
    """code → label at `level` (the French section title for sections; the code itself
    when the nomenclature module is unavailable)."""
    try:
        from guichet.markets import hs
    except ImportError:  # pragma: no cover - hs.py ships with the app
        return str
    if level == "section":
        titles = {roman: name for roman, _low, _high, name in hs.SECTIONS}
        return lambda code: titles.get(code, hs.UNCLASSIFIED[1])
    return hs.product_label
