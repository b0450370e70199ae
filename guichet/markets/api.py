"""Markets API (capability 9): RCA, export potential, a filière's target markets."""

from ninja import Router

router = Router(tags=["Marchés"])
