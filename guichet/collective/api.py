from ninja import Router

router = Router(tags=["Actions collectives"])
