from django.contrib.auth.middleware import LoginRequiredMiddleware


class GuichetLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page requires a login unless its view is marked `login_not_required`.

    The JSON API under /api/ authenticates by organisation API key instead of a session: it
    answers 401 in JSON rather than redirecting to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
