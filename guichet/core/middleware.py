from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseBadRequest, JsonResponse


class GuichetLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page requires a login unless its view is marked `login_not_required`.

    The JSON API under /api/ authenticates by organisation API key instead of a session: it
    answers 401 in JSON rather than redirecting to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NulByteGuardMiddleware:
    """Refuses, with a 400, a request whose address or query string carries a NUL byte.

    No page or endpoint has a use for one, and PostgreSQL refuses it in any text parameter:
    without this guard a stray %00 in a filter would end as a server error (found by the API
    fuzzing on PostgreSQL). The API answers in its JSON error format, pages in plain French.
    """

    MESSAGE = "La requête contient un caractère nul (%00), qui n'est accepté nulle part."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "bad_request", "message": self.MESSAGE, "details": []}, status=400
                )
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
