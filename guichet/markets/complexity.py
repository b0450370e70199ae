"""Revealed comparative advantage and economic complexity (MARKETS.md §1), in NumPy/SciPy.

`compute()` takes a dense locations × products matrix of export values and returns every
measure of MARKETS.md §1 in a `ComplexityResult`:

- RCA_ik = (v_ik / Σ_k v_ik) / (Σ_i v_ik / Σ_ik v_ik); M_ik = 1 when RCA_ik ≥ threshold;
- diversity d_i = Σ_k M_ik, ubiquity u_k = Σ_i M_ik;
- proximity φ_kl = Σ_i M_ik M_il / max(u_k, u_l) (diagonal included: φ_kk = 1);
- density_ik = Σ_l M_il φ_kl / Σ_l φ_kl;
- ECI: the eigenvector of the second-largest eigenvalue λ of the country-side matrix
  M̃ = (M / d) (M / u)ᵀ, signed so that it correlates positively with diversity, then
  standardised (population standard deviation); PCI: the product-side eigenvector
  kp = (M / u)ᵀ kc / λ (exactly the eigenvector of the product-side matrix for λ, and
  kc = (M / d) kp: each ECI is the mean of the PCIs of what the location exports), rescaled
  with ECI's mean and standard deviation, as the reference package does;
- COG_ik = (1 − M_ik) Σ_l (1 − M_il) (φ_kl / Σ_m φ_ml) PCI_l, with the rescaled PCI.

Only the L × L country-side eigenproblem is solved (a few hundred rows), through its
symmetric form S = D^-½ M U^-1 Mᵀ D^-½ (same eigenvalues; kc = D^-½ v), never a P × P
eigen-decomposition. The P × P proximity is built in row blocks in float32 (co-occurrence
counts are integers, exact in float32 up to 16 million locations), used once for density and
COG and freed unless `keep_proximity`.

Locations and products whose total is zero are dropped before computing (their measures are
undefined); `ComplexityResult.notes` says how many. With a threshold above 1, a location may
have no product with M = 1 (or a product no location): their ECI/PCI are NaN.

`complexity_long_csv()` runs the same computation on a user's long CSV table (one row per
time × location × product) and writes the full grid; the `complexity` management command
calls it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import linalg

from guichet.markets.results import ComplexityResult

BLOCK = 256  # proximity rows built at a time (BLOCK × P float32 temporaries)

OUTPUT_COLUMNS = [
    "time",
    "loc",
    "prod",
    "rca",
    "mcp",
    "density",
    "eci",
    "pci",
    "cog",
    "diversity",
    "ubiquity",
]


class ComplexityInputError(ValueError):
    """A long table that cannot be computed; the message is in French, for the user."""


def _drop_empty(values, locations, products):
    notes = []
    row_total = values.sum(axis=1)
    col_total = values.sum(axis=0)
    keep_rows = row_total != 0
    keep_cols = col_total != 0
    if not keep_rows.all():
        dropped = [loc for loc, keep in zip(locations, keep_rows, strict=True) if not keep]
        notes.append(
            f"{len(dropped)} origine(s) sans exportation écartée(s) du calcul : "
            + ", ".join(dropped[:10])
            + (" …" if len(dropped) > 10 else "")
        )
    if not keep_cols.all():
        count = int((~keep_cols).sum())
        notes.append(f"{count} produit(s) sans échange écarté(s) du calcul.")
    if notes:
        values = values[keep_rows][:, keep_cols]
        locations = [loc for loc, keep in zip(locations, keep_rows, strict=True) if keep]
        products = [prod for prod, keep in zip(products, keep_cols, strict=True) if keep]
    return values, locations, products, notes


def rca_matrix(values: np.ndarray) -> np.ndarray:
    """Balassa's RCA of a locations × products matrix whose row and column totals are > 0
    (the same operations, in the same order, as the reference package)."""
    share_in_location = values / values.sum(axis=1)[:, np.newaxis]
    product_total = values.sum(axis=0)[np.newaxis, :]
    world_share = product_total / product_total.sum()
    return share_in_location / world_share


def _eigen(m: np.ndarray, diversity: np.ndarray, ubiquity: np.ndarray):
    """ECI and PCI before rescaling (kc, kp), signed, over locations with d > 0 and products
    with u > 0; NaN elsewhere."""
    n_loc, n_prod = m.shape
    kc_full = np.full(n_loc, np.nan)
    kp_full = np.full(n_prod, np.nan)
    rows = diversity > 0
    cols = ubiquity > 0
    if rows.sum() < 2 or cols.sum() < 2:
        return kc_full, kp_full
    mv = m[rows][:, cols].astype(np.float64)
    d = diversity[rows].astype(np.float64)
    u = ubiquity[cols].astype(np.float64)
    # S = D^-1/2 M U^-1 Mᵀ D^-1/2, symmetric, similar to M̃ = D^-1 M U^-1 Mᵀ.
    a = mv / np.sqrt(d)[:, np.newaxis] / np.sqrt(u)[np.newaxis, :]
    s = a @ a.T
    del a
    size = s.shape[0]
    eigvals, eigvecs = linalg.eigh(s, subset_by_index=[size - 2, size - 1])
    lam = float(eigvals[0])
    kc = eigvecs[:, 0] / np.sqrt(d)
    kp = (mv / u[np.newaxis, :]).T @ kc / lam
    if np.std(kc) > 0 and np.std(d) > 0:
        sign = np.sign(np.corrcoef(d, kc)[0, 1])
        if sign != 0:
            kc, kp = sign * kc, sign * kp
    kc_full[rows] = kc
    kp_full[cols] = kp
    return kc_full, kp_full


def proximity_matrix(m: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """φ_kl = Σ_i M_ik M_il / max(u_k, u_l), P × P float32 (0 where both ubiquities are 0),
    built in row blocks of its upper triangle and mirrored (φ is symmetric)."""
    mf = m.astype(np.float32, copy=False)
    u = ubiquity.astype(np.float32)
    n_prod = mf.shape[1]
    phi = np.empty((n_prod, n_prod), dtype=np.float32)
    for start in range(0, n_prod, BLOCK):
        stop = min(start + BLOCK, n_prod)
        block = mf[:, start:stop].T @ mf[:, start:]  # rows start:stop, columns start:
        denominator = np.maximum(u[start:stop, np.newaxis], u[np.newaxis, start:])
        np.divide(block, denominator, out=block, where=denominator > 0)
        block[denominator == 0] = 0
        phi[start:stop, start:] = block
        phi[stop:, start:stop] = block[:, stop - start :].T
    return phi


def compute(
    values: np.ndarray,
    locations: list[str],
    products: list[str],
    *,
    threshold: float = 1.0,
    keep_proximity: bool = False,
) -> ComplexityResult:
    """Every measure of MARKETS.md §1 for one year of a locations × products value matrix."""
    values = np.asarray(values, dtype=np.float64)
    locations = [str(loc) for loc in locations]
    products = [str(prod) for prod in products]
    if values.ndim != 2 or values.shape != (len(locations), len(products)):
        raise ValueError("values must be a len(locations) × len(products) matrix")
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("values must be non-negative numbers")
    values, locations, products, notes = _drop_empty(values, locations, products)
    if not locations or not products:
        raise ValueError("no location with exports")

    rca = rca_matrix(values)
    mcp = rca >= threshold  # bool, exact
    m32 = mcp.astype(np.float32)
    diversity = mcp.sum(axis=1).astype(np.int64)
    ubiquity = mcp.sum(axis=0).astype(np.int64)

    kc, kp = _eigen(mcp, diversity, ubiquity)
    mean, std = np.nanmean(kc), np.nanstd(kc)
    if not np.isfinite(std) or std == 0:
        notes.append("Indice de complexité non défini (moins de deux origines comparables).")
        std = np.nan
    eci = (kc - mean) / std
    pci = (kp - mean) / std

    phi = proximity_matrix(mcp, ubiquity)
    phi_total = phi.sum(axis=1, dtype=np.float64).astype(np.float32)  # Σ_l φ_kl (symmetric)
    safe_total = np.where(phi_total > 0, phi_total, 1).astype(np.float32)
    absent = 1.0 - m32
    weights = (np.nan_to_num(pci) / safe_total).astype(np.float32)
    # One pass over φ for both: rows 0..L-1 give density's numerator, L..2L-1 COG's sum.
    both = np.vstack([m32, absent * weights[np.newaxis, :]]) @ phi
    n_loc = m32.shape[0]
    density = both[:n_loc] / safe_total[np.newaxis, :]
    cog = both[n_loc:] * absent
    del absent, both
    if not keep_proximity:
        del phi
        phi = None

    return ComplexityResult(
        locations=locations,
        products=products,
        values=values,
        rca=rca,
        mcp=mcp.astype(np.int8),
        diversity=diversity,
        ubiquity=ubiquity,
        eci=eci,
        pci=pci,
        density=density,
        cog=cog,
        proximity=phi,
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------
# Long CSV tables (the `complexity` command)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def complexity_long_csv(
    input_path, out_path, *, time: str, loc: str, prod: str, val: str, notes: list | None = None
) -> int:
    """Reads a long CSV table (one row per time × location × product, any other columns
    ignored), computes every measure per time and writes one row per cell of the full
    time × location × product grid (columns OUTPUT_COLUMNS). Codes stay text (leading zeros
    kept); duplicated (time, loc, prod) rows are summed; empty values count as 0. A location
    or product with no exports in a year has empty measures that year. Returns the number of
    rows written (what was dropped from the computation is appended to `notes`); raises
    ComplexityInputError with a French message for a bad table."""
    import duckdb
    import pyarrow as pa

    input_path, out_path = Path(input_path), Path(out_path)
    if not input_path.exists():
        raise ComplexityInputError(f"Fichier introuvable : {input_path}")
    if input_path.stat().st_size == 0:
        raise ComplexityInputError("Le fichier est vide : aucune ligne à calculer.")
    con = duckdb.connect(database=":memory:")
    con.execute("SET preserve_insertion_order = true")
    try:
        try:  # standard CSV quoting (a sample may show no quote); the delimiter is sniffed
            relation = con.read_csv(
                str(input_path), header=True, all_varchar=True, quotechar='"', escapechar='"'
            )
            columns = relation.columns
        except duckdb.Error as exc:
            raise ComplexityInputError(f"Fichier CSV illisible : {exc}") from None
        missing = [name for name in (time, loc, prod, val) if name not in columns]
        if missing:
            raise ComplexityInputError(
                "Colonne(s) absente(s) du fichier : "
                + ", ".join(missing)
                + ". Colonnes trouvées : "
                + ", ".join(columns)
                + "."
            )
        try:
            relation.project(
                "row_number() OVER () + 1 AS line, "
                f"{_quoted(time)} AS t, {_quoted(loc)} AS l, {_quoted(prod)} AS p, "
                f"trim({_quoted(val)}) AS v_text"
            ).create("long")
        except duckdb.Error as exc:
            raise ComplexityInputError(f"Fichier CSV illisible : {exc}") from None
        total_rows = con.execute("SELECT count(*) FROM long").fetchone()[0]
        if total_rows == 0:
            raise ComplexityInputError("Le fichier ne contient aucune ligne de données.")
        bad = con.execute(
            "SELECT count(*), min(line) FROM long WHERE v_text IS NOT NULL AND v_text <> '' "
            "AND TRY_CAST(v_text AS DOUBLE) IS NULL"
        ).fetchone()
        if bad[0]:
            example = con.execute("SELECT v_text FROM long WHERE line = ?", [bad[1]]).fetchone()[0]
            raise ComplexityInputError(
                f"Colonne {val} : {bad[0]} valeur(s) non numérique(s), la première ligne "
                f"{bad[1]} (« {example} »)."
            )
        negative = con.execute(
            "SELECT count(*), min(line) FROM long WHERE TRY_CAST(v_text AS DOUBLE) < 0"
        ).fetchone()
        if negative[0]:
            raise ComplexityInputError(
                f"Colonne {val} : {negative[0]} valeur(s) négative(s), la première ligne "
                f"{negative[1]}."
            )
        empty_keys = con.execute(
            "SELECT count(*), min(line) FROM long WHERE t IS NULL OR l IS NULL OR p IS NULL"
        ).fetchone()
        if empty_keys[0]:
            raise ComplexityInputError(
                f"{empty_keys[0]} ligne(s) sans {time}, {loc} ou {prod}, la première ligne "
                f"{empty_keys[1]}."
            )
        locs = [row[0] for row in con.execute("SELECT DISTINCT l FROM long ORDER BY l").fetchall()]
        prods = [row[0] for row in con.execute("SELECT DISTINCT p FROM long ORDER BY p").fetchall()]
        times = [row[0] for row in con.execute("SELECT DISTINCT t FROM long ORDER BY t").fetchall()]
        loc_index = {code: i for i, code in enumerate(locs)}
        prod_index = {code: i for i, code in enumerate(prods)}
        n_loc, n_prod = len(locs), len(prods)
        cells = n_loc * n_prod

        out_path.parent.mkdir(parents=True, exist_ok=True)
        import pyarrow.csv as pacsv

        loc_dict = pa.array(locs, type=pa.string())
        prod_dict = pa.array(prods, type=pa.string())
        loc_codes = np.repeat(np.arange(n_loc, dtype=np.int32), n_prod)
        prod_codes = np.tile(np.arange(n_prod, dtype=np.int32), n_loc)
        loc_column = pa.DictionaryArray.from_arrays(loc_codes, loc_dict).cast(pa.string())
        prod_column = pa.DictionaryArray.from_arrays(prod_codes, prod_dict).cast(pa.string())
        written = 0
        notes = notes if notes is not None else []
        with open(out_path, "wb") as sink:
            writer = None
            for t in times:
                grouped = con.execute(
                    "SELECT l, p, sum(coalesce(TRY_CAST(v_text AS DOUBLE), 0)) FROM long "
                    "WHERE t = ? GROUP BY l, p",
                    [t],
                ).fetchnumpy()
                matrix = np.zeros((n_loc, n_prod))
                rows = np.fromiter((loc_index[c] for c in grouped["l"]), dtype=np.int64)
                cols = np.fromiter((prod_index[c] for c in grouped["p"]), dtype=np.int64)
                matrix[rows, cols] = np.asarray(grouped[list(grouped)[2]], dtype=np.float64)
                columns = _grid_columns(matrix, locs, prods, notes, t)
                table = pa.table(
                    {
                        "time": pa.array([t] * cells, type=pa.string())
                        if cells
                        else pa.array([], type=pa.string()),
                        "loc": loc_column,
                        "prod": prod_column,
                        **{name: _arrow(columns[name]) for name in OUTPUT_COLUMNS[3:]},
                    }
                )
                if writer is None:
                    writer = pacsv.CSVWriter(
                        sink,
                        table.schema,
                        write_options=pacsv.WriteOptions(quoting_style="needed"),
                    )
                writer.write_table(table)
                written += cells
            if writer is not None:
                writer.close()
    finally:
        con.close()
    return written


def _grid_columns(matrix, locs, prods, notes, t) -> dict[str, np.ndarray]:
    """The measures of one time on the full locations × products grid (NaN where a
    location or product had nothing that year)."""
    n_loc, n_prod = matrix.shape
    keep_rows = matrix.sum(axis=1) != 0
    keep_cols = matrix.sum(axis=0) != 0
    out = {name: np.full((n_loc, n_prod), np.nan) for name in OUTPUT_COLUMNS[3:]}
    for name in ("density", "cog"):  # float32 in the result: written as such
        out[name] = out[name].astype(np.float32)
    if keep_rows.sum() == 0:
        notes.append(f"{t} : aucune exportation, mesures vides.")
        return {name: column.ravel() for name, column in out.items()}
    result = compute(matrix, locs, prods)
    for note in result.notes:
        notes.append(f"{t} : {note}")
    block = np.ix_(keep_rows, keep_cols)
    out["rca"][block] = result.rca
    out["mcp"][block] = result.mcp
    out["density"][block] = result.density
    out["cog"][block] = result.cog
    out["eci"][block] = np.repeat(result.eci[:, np.newaxis], keep_cols.sum(), axis=1)
    out["pci"][block] = np.repeat(result.pci[np.newaxis, :], keep_rows.sum(), axis=0)
    out["diversity"][block] = np.repeat(result.diversity[:, np.newaxis], keep_cols.sum(), axis=1)
    out["ubiquity"][block] = np.repeat(result.ubiquity[np.newaxis, :], keep_rows.sum(), axis=0)
    columns = {name: column.ravel() for name, column in out.items()}
    for name in ("mcp", "diversity", "ubiquity"):
        columns[name] = _integers(columns[name])
    return columns


def _integers(column: np.ndarray):
    import pyarrow as pa

    mask = np.isnan(column)
    return pa.array(np.nan_to_num(column).astype(np.int64), mask=mask)


def _arrow(column):
    import pyarrow as pa

    if isinstance(column, pa.Array):
        return column
    return pa.array(column, from_pandas=True)
