"""The offers capability in the API (stub)."""

from ninja import Router

router = Router(tags=["Offres"])
