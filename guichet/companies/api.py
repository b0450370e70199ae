"""The registry's API: one router made of a router per concept."""

from ninja import Router

from guichet.companies.api_company import router as company_router
from guichet.companies.api_search import router as search_router

router = Router(tags=["Entreprises"])
router.add_router("/", search_router)
router.add_router("/", company_router)
