"""The product space: nodes, edges, layout and diversification opportunities."""

import numpy as np

from guichet.markets import storage
from guichet.markets.product_space import edges_of, layout, product_space


def trade_rows():
    rng = np.random.default_rng(9)
    exporters = [f"C{i:02d}" for i in range(25)] + ["FRA"]
    products = [
        f"{chapter:02d}{heading:02d}10"
        for chapter in (1, 22, 30, 84, 85, 87)
        for heading in range(1, 8)
    ]
    rows = []
    for i, exporter in enumerate(exporters):
        for k, product in enumerate(products):
            if rng.random() < 0.35:
                continue
            rows.append((exporter, "GBR", product, float(rng.lognormal(10 + (i * k) % 5, 1))))
    return rows


def test_product_space_of_france(make_trade):
    make_trade(trade_rows(), year=2023)
    space = product_space(exporter="FRA", level="hs4", max_nodes=30)
    assert space.exporter == "FRA"
    assert space.level == "hs4"
    assert len(space.nodes) == 30
    trades = [node.world_trade for node in space.nodes]
    assert trades == sorted(trades, reverse=True)  # the most traded products
    assert all(0 <= node.x <= 1 and 0 <= node.y <= 1 for node in space.nodes)
    assert all(node.label for node in space.nodes)
    # A spanning tree at least: every node on an edge, n − 1 tree edges plus strong links.
    touched = {i for i, _, _ in space.edges} | {j for _, j, _ in space.edges}
    assert touched == set(range(30))
    assert 29 <= len(space.edges) <= 29 + 45
    exported = [node for node in space.nodes if node.exported]
    assert all(node.rca >= 1 for node in exported)
    # Opportunities: not exported, dense enough, by COG.
    assert space.opportunities
    assert all(not node.exported for node in space.opportunities)
    cogs = [node.cog for node in space.opportunities]
    assert cogs == sorted(cogs, reverse=True)
    candidates = [node.density for node in space.nodes if not node.exported]
    assert min(node.density for node in space.opportunities) >= np.median(candidates)
    # Cached, and read back the same.
    assert len(list((storage.markets_dir() / "cache").glob("product-space-FRA-hs4-*"))) == 1
    again = product_space(exporter="FRA", level="hs4", max_nodes=30)
    assert again == space


def test_unknown_exporter_has_no_opportunities(make_trade):
    make_trade(trade_rows(), year=2023)
    space = product_space(exporter="ZZZ", level="hs2")
    assert space.opportunities == []
    assert all(not node.exported for node in space.nodes)
    assert any("ZZZ" in note for note in space.basis.notes)


def test_maximum_spanning_tree_by_hand():
    # Strongest links 0–1 (0.5) and 1–2 (0.4) span the three nodes; 0–2 (0.1) is left out
    # (below the strong-link threshold).
    phi = np.array([[1, 0.5, 0.1], [0.5, 1, 0.4], [0.1, 0.4, 1]])
    assert edges_of(phi) == [(0, 1, 0.5), (1, 2, 0.4)]
    # Strong links above 0.55 come on top of the tree.
    phi = np.array([[1, 0.9, 0.8], [0.9, 1, 0.7], [0.8, 0.7, 1]])
    assert edges_of(phi) == [(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7)]
    coordinates = layout(phi, edges_of(phi))
    assert coordinates.shape == (3, 2)
    assert coordinates.min() >= 0
    assert coordinates.max() <= 1
