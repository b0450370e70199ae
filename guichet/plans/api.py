from ninja import Router

router = Router(tags=["Plan et indicateurs"])
