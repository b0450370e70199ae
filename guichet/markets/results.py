"""The shapes the market computations return to pages, the API and the commands.

Computations (complexity.py, potential.py, targets.py, product_space.py, country_facts.py)
fill these; views and the API only read them. Values are in current USD unless a field says
otherwise; shares are fractions (0–1); growths are fractions over the projection horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ComplexityResult:
    """Every measure of MARKETS.md §1 for one year: rows are locations, columns products."""

    locations: list[str]
    products: list[str]
    values: np.ndarray  # L × P exports
    rca: np.ndarray  # L × P
    mcp: np.ndarray  # L × P, 0/1
    diversity: np.ndarray  # L
    ubiquity: np.ndarray  # P
    eci: np.ndarray  # L, standardised
    pci: np.ndarray  # P, rescaled with ECI's mean and standard deviation
    density: np.ndarray  # L × P
    cog: np.ndarray  # L × P
    proximity: np.ndarray | None = None  # P × P, kept only when asked for
    notes: list[str] = field(default_factory=list)  # what was dropped before computing


@dataclass(frozen=True)
class DataBasis:
    """Which data a result comes from, said on every page and in every API body."""

    source_label: str  # e.g. "CEPII BACI 2022" or "Données de démonstration 2025"
    year: int
    years_used: list[int]
    is_demo: bool
    notes: list[str] = field(default_factory=list)  # e.g. the proxy used, the filter applied


@dataclass(frozen=True)
class PotentialRow:
    exporter: str  # ISO alpha-3
    market: str  # ISO alpha-3
    product: str  # HS code
    potential: float  # EPI (projected), USD
    actual: float  # weighted average of the last five years' exports, USD
    realised_share: float  # min(actual, potential) / potential
    unrealised: float  # potential - min(actual, potential)
    supply: float
    demand: float
    ease: float
    distance_km: float | None
    demand_growth: float  # projected growth of the market's imports of the product


@dataclass(frozen=True)
class PotentialTable:
    rows: list[PotentialRow]
    basis: DataBasis
    assumptions_source: str


@dataclass(frozen=True)
class MarketTarget:
    """One market for a filière or a product, for the region (or France)."""

    market: str  # ISO alpha-3
    name: str  # French name
    potential: float
    actual: float
    realised_share: float
    unrealised: float
    distance_km: float | None
    demand_growth: float
    top_products: list[tuple[str, str, float]]  # (HS code, label, unrealised)


@dataclass(frozen=True)
class Targets:
    """Ranked markets (by unrealised potential, largest first) for a filière or product."""

    subject: str  # "Filière Agroalimentaire" or "SH 2204 — Vins…"
    products: list[tuple[str, str]]  # (HS code, label) the subject maps to
    exporter: str  # "FRA" or the région's code, e.g. "R27"
    exporter_label: str  # "France" or "Bourgogne-Franche-Comté"
    weighting: str  # "customs" | "employment" | "none"
    weighting_label: str  # the French sentence saying which data weight the region
    rows: list[MarketTarget]
    basis: DataBasis


@dataclass(frozen=True)
class ProductNode:
    code: str
    label: str
    section: str
    rca: float
    exported: bool  # M = 1
    world_trade: float
    density: float
    cog: float
    pci: float
    x: float  # layout, 0–1
    y: float  # layout, 0–1


@dataclass(frozen=True)
class ProductSpace:
    exporter: str
    exporter_label: str
    level: str
    nodes: list[ProductNode]
    edges: list[tuple[int, int, float]]  # (node index, node index, proximity)
    opportunities: list[ProductNode]  # not exported yet: high density and high COG first
    basis: DataBasis
