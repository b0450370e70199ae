"""One JSON error format for the whole API: {"error": code, "message": French text, "details"}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


def _body(code: str, message: str, details=None) -> dict:
    return {"error": code, "message": message, "details": details or []}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation(request, exc):
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return api.create_response(
            request,
            _body("validation", "Les données envoyées sont invalides.", details),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        message = "Clé d'API absente, inconnue ou révoquée (en-tête Authorization: Bearer CLÉ)."
        return api.create_response(request, _body("authentication", message), status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = "Cette clé ne donne pas accès à cette ressource."
        return api.create_response(request, _body("permission", message), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, _body("not_found", "Ressource introuvable."), status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, _body("error", str(exc)), status=exc.status_code)
