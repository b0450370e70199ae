"""The desk in the API (stub: filled in by the intake engineer)."""

from ninja import Router

router = Router(tags=["Guichet"])
