"""The product space of an exporter (Hidalgo, Klinger, Barabási & Hausmann 2007): the most
traded products of the world placed by proximity, coloured by the exporter's RCA, sized by
world trade, with its diversification opportunities.

- Nodes: the `max_nodes` products with the largest world trade (over the exporters kept by
  the small-exporter filter) at `level`.
- Edges: the maximum spanning tree of the proximity φ (so every node is reachable by its
  strongest links), plus the strongest other links with φ ≥ 0.55 (the threshold of the 2007
  paper), at most `EXTRA_EDGES_PER_NODE` × nodes of them.
- Layout: classical multidimensional scaling of the distance 1 − φ as a start, then a
  force-directed refinement (springs along the edges, repulsion between all nodes), in
  NumPy, with no randomness: the same data give the same picture. Coordinates scaled to 0–1.
- Opportunities: the shown products the exporter does not export with RCA ≥ 1 (M = 0) whose
  density is at least the median density of those products, ranked by complexity outlook
  gain (COG, largest first), ties by density; at most `MAX_OPPORTUNITIES`.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import minimum_spanning_tree

from guichet.markets.complexity_data import world_complexity
from guichet.markets.results import ProductNode, ProductSpace

STRONG_LINK = 0.55
EXTRA_EDGES_PER_NODE = 1.5
MAX_OPPORTUNITIES = 30
LAYOUT_ITERATIONS = 150


def _labels(level: str):
    try:
        from guichet.markets import hs
    except ImportError:  # pragma: no cover - hs.py ships with the app
        return str, lambda code: ""

    def section(code):
        return hs.section_of(code)[1] if level != "section" else code

    return hs.product_label, section


def _exporter_label(code: str) -> str:
    try:
        from guichet.markets.countries import iso3_name
    except ImportError:  # pragma: no cover - countries.py ships with the app
        return code
    try:
        return iso3_name(code)
    except Exception:  # a name is a nicety: the code is a fine fallback
        return code


def edges_of(phi: np.ndarray) -> list[tuple[int, int, float]]:
    """Maximum spanning tree of φ plus the strongest links above STRONG_LINK (bounded)."""
    n = phi.shape[0]
    if n < 2:
        return []
    # A minimum spanning tree of 2 − φ (> 0 everywhere off the diagonal, decreasing in φ) is a
    # maximum spanning tree of φ.
    cost = 2.0 - phi
    np.fill_diagonal(cost, 0)
    tree = minimum_spanning_tree(cost).tocoo()
    chosen = {(int(min(i, j)), int(max(i, j))) for i, j in zip(tree.row, tree.col, strict=True)}
    upper_i, upper_j = np.triu_indices(n, k=1)
    strengths = phi[upper_i, upper_j]
    strong = np.nonzero(strengths >= STRONG_LINK)[0]
    strong = strong[np.argsort(-strengths[strong], kind="stable")]
    budget = int(EXTRA_EDGES_PER_NODE * n)
    for index in strong:
        if budget <= 0:
            break
        pair = (int(upper_i[index]), int(upper_j[index]))
        if pair not in chosen:
            chosen.add(pair)
            budget -= 1
    return sorted((i, j, float(phi[i, j])) for i, j in chosen)


def layout(phi: np.ndarray, edges: list[tuple[int, int, float]]) -> np.ndarray:
    """n × 2 coordinates in 0–1, deterministic."""
    n = phi.shape[0]
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    distance = 1.0 - phi
    np.fill_diagonal(distance, 0)
    # Classical MDS: the top two eigenvectors of the double-centred squared distances.
    squared = distance**2
    centring = np.eye(n) - 1.0 / n
    gram = -0.5 * centring @ squared @ centring
    eigvals, eigvecs = np.linalg.eigh(gram)
    top = eigvecs[:, -2:] * np.sqrt(np.clip(eigvals[-2:], 1e-12, None))
    for column in range(2):  # a fixed orientation (eigenvector signs are arbitrary)
        pivot = np.argmax(np.abs(top[:, column]))
        if top[pivot, column] < 0:
            top[:, column] *= -1
    position = _scaled(top)
    # Force-directed refinement (Fruchterman–Reingold with a cooling step).
    ideal = 1.0 / np.sqrt(n)
    pairs = np.array([(i, j) for i, j, _ in edges], dtype=np.int64).reshape(-1, 2)
    weights = np.array([w for _, _, w in edges]).reshape(-1)
    step = 0.1
    for _ in range(LAYOUT_ITERATIONS):
        delta = position[:, None, :] - position[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2)) + 1e-9
        force = (delta * (ideal**2 / dist**2)[:, :, None]).sum(axis=1)
        if len(pairs):
            d = position[pairs[:, 0]] - position[pairs[:, 1]]
            length = np.sqrt((d**2).sum(axis=1)) + 1e-9
            pull = d * (length / ideal * weights)[:, None]
            np.add.at(force, pairs[:, 0], -pull)
            np.add.at(force, pairs[:, 1], pull)
        size = np.sqrt((force**2).sum(axis=1)) + 1e-9
        position = position + force / size[:, None] * np.minimum(size, step)[:, None]
        step *= 0.97
    return _scaled(position)


def _scaled(points: np.ndarray) -> np.ndarray:
    low = points.min(axis=0)
    span = points.max(axis=0) - low
    span[span == 0] = 1
    return 0.02 + 0.96 * (points - low) / span


def product_space(
    *, exporter: str = "FRA", year: int | None = None, level: str = "hs4", max_nodes: int = 400
) -> ProductSpace:
    """The product space of `exporter` for `year` (default: the latest loaded) at `level`,
    cached as Parquet (one row per node; edges, opportunities and basis in its metadata)
    until the loaded data change."""
    from guichet.markets import cache
    from guichet.markets.complexity_data import basis_for

    exporter = exporter.upper()
    year = basis_for(year).year  # NoTradeData when nothing is loaded
    key = cache.inputs_key(
        "product-space", exporter=exporter, year=year, level=level, max_nodes=int(max_nodes)
    )
    built = {}

    def write(path):
        built["space"] = _product_space(exporter, year, level, max_nodes)
        _write_space(built["space"], path)

    path = cache.cached_table(f"product-space-{exporter}-{level}", key, write)
    return built["space"] if "space" in built else _read_space(path)


def _write_space(space: ProductSpace, path) -> None:
    import dataclasses
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [dataclasses.asdict(node) for node in space.nodes]
    names = [f.name for f in dataclasses.fields(ProductNode)]
    table = pa.table({name: [row[name] for row in rows] for name in names})
    meta = {
        "exporter": space.exporter,
        "exporter_label": space.exporter_label,
        "level": space.level,
        "edges": space.edges,
        "opportunities": [node.code for node in space.opportunities],
        "basis": dataclasses.asdict(space.basis),
    }
    pq.write_table(table.replace_schema_metadata({"guichet": json.dumps(meta)}), path)


def _read_space(path) -> ProductSpace:
    import json

    import pyarrow.parquet as pq

    from guichet.markets.results import DataBasis

    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"guichet"])
    nodes = [ProductNode(**row) for row in table.to_pylist()]
    by_code = {node.code: node for node in nodes}
    return ProductSpace(
        exporter=meta["exporter"],
        exporter_label=meta["exporter_label"],
        level=meta["level"],
        nodes=nodes,
        edges=[(int(i), int(j), float(w)) for i, j, w in meta["edges"]],
        opportunities=[by_code[code] for code in meta["opportunities"]],
        basis=DataBasis(**meta["basis"]),
    )


def _product_space(exporter: str, year: int, level: str, max_nodes: int) -> ProductSpace:
    result, basis = world_complexity(year=year, level=level, keep_proximity=True)
    if exporter not in result.locations:
        result, basis = world_complexity(
            year=year, level=level, keep_proximity=True, small_exporter_filter=False
        )
        if exporter in result.locations:
            basis.notes.append(
                f"{exporter} ne passe pas le filtre des petits exportateurs : calcul sans filtre."
            )
        else:
            basis.notes.append(f"{exporter} n'exporte rien dans les données chargées.")
    world_trade = result.values.sum(axis=0)
    order = np.argsort(-world_trade, kind="stable")[: max(0, int(max_nodes))]
    phi = result.proximity[np.ix_(order, order)].astype(np.float64)
    edges = edges_of(phi)
    coordinates = layout(phi, edges)
    del phi

    label, section = _labels(level)
    row = result.locations.index(exporter) if exporter in result.locations else None
    nodes = []
    for n, k in enumerate(order):
        code = result.products[k]
        pci = result.pci[k]
        nodes.append(
            ProductNode(
                code=code,
                label=label(code),
                section=section(code),
                rca=float(result.rca[row, k]) if row is not None else 0.0,
                exported=bool(result.mcp[row, k]) if row is not None else False,
                world_trade=float(world_trade[k]),
                density=float(result.density[row, k]) if row is not None else 0.0,
                cog=float(result.cog[row, k]) if row is not None else 0.0,
                pci=0.0 if np.isnan(pci) else float(pci),
                x=float(coordinates[n, 0]),
                y=float(coordinates[n, 1]),
            )
        )
    return ProductSpace(
        exporter=exporter,
        exporter_label=_exporter_label(exporter),
        level=level,
        nodes=nodes,
        edges=edges,
        opportunities=opportunities(nodes) if row is not None else [],
        basis=basis,
    )


def opportunities(nodes: list[ProductNode]) -> list[ProductNode]:
    """Not exported yet (M = 0), density at least the median of those, by COG then density."""
    candidates = [node for node in nodes if not node.exported]
    if not candidates:
        return []
    median = float(np.median([node.density for node in candidates]))
    close = [node for node in candidates if node.density >= median]
    close.sort(key=lambda node: (-node.cog, -node.density, node.code))
    return close[:MAX_OPPORTUNITIES]
