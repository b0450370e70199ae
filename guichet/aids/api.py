from ninja import Router

router = Router(tags=["aids"])
