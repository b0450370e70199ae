from ninja import NinjaAPI

from guichet.aids.api import router as aids_router
from guichet.collective.api import router as collective_router
from guichet.companies.api import router as companies_router
from guichet.core.api_errors import install_error_handlers
from guichet.desk.api import router as desk_router
from guichet.diagnostics.api import router as diagnostics_router
from guichet.journeys.api import router as journeys_router
from guichet.markets.api import router as markets_router
from guichet.offers.api import router as offers_router
from guichet.partners.api import router as partners_router
from guichet.partners.api_auth import ApiKeyAuth
from guichet.plans.api import router as plans_router
from guichet.stateaid.api import router as stateaid_router
from guichet.vie.api import router as vie_router

api = NinjaAPI(
    title="API Guichet Export",
    version="1",
    description=(
        "API des partenaires de la plateforme Guichet Export. Chaque appel porte une clé "
        "d'organisation dans l'en-tête `Authorization: Bearer CLÉ`."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", partners_router)
api.add_router("/", companies_router)
api.add_router("/", desk_router)
api.add_router("/", journeys_router)
api.add_router("/", offers_router)
api.add_router("/", diagnostics_router)
api.add_router("/", stateaid_router)
api.add_router("/", aids_router)
api.add_router("/", vie_router)
api.add_router("/", collective_router)
api.add_router("/", markets_router)
api.add_router("/", plans_router)
