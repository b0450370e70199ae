"""One JSON error format for the whole API: {"error": code, "message": French text, "details"}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiNotFound(Http404):
    """A 404 whose message (French) names what was not found."""


# French messages for the pydantic error types a caller meets most (ninja reports them).
_PYDANTIC_FR = {
    "missing": "Champ obligatoire.",
    "string_type": "Doit être une chaîne de caractères.",
    "int_type": "Doit être un nombre entier.",
    "int_parsing": "Doit être un nombre entier.",
    "float_type": "Doit être un nombre.",
    "float_parsing": "Doit être un nombre.",
    "decimal_parsing": "Doit être un nombre.",
    "bool_type": "Doit valoir true ou false.",
    "bool_parsing": "Doit valoir true ou false.",
    "date_type": "Date invalide (format AAAA-MM-JJ).",
    "date_parsing": "Date invalide (format AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Date invalide (format AAAA-MM-JJ).",
    "list_type": "Doit être une liste.",
    "dict_type": "Doit être un objet JSON.",
    "model_type": "Doit être un objet JSON.",
    "json_invalid": "Le corps de la requête n'est pas du JSON valide.",
    "string_too_long": "Texte trop long.",
    "string_too_short": "Texte trop court.",
    "literal_error": "Valeur non autorisée.",
    "enum": "Valeur non autorisée.",
    "extra_forbidden": "Champ inconnu.",
}


def api_invalid(error, *location: str) -> ValidationError:
    """A service's French ValidationError in the API's error format, its fields located as
    ninja locates its own ("body.payload.email", "path.siren")."""
    location = location or ("body", "payload")
    by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return ValidationError(
        [
            {"loc": [*location, field], "msg": message}
            for field, messages in by_field.items()
            for message in messages
        ]
    )


def _french(error: dict) -> str:
    return _PYDANTIC_FR.get(error.get("type", ""), error.get("msg", ""))


def _body(code: str, message: str, details=None) -> dict:
    return {"error": code, "message": message, "details": details or []}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation(request, exc):
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": _french(e)}
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
        message = str(exc) if isinstance(exc, ApiNotFound) else "Ressource introuvable."
        return api.create_response(request, _body("not_found", message), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, _body("error", str(exc)), status=exc.status_code)
