from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.partners.selectors import user_must_use_second_factor

_EXEMPT_PREFIXES = ("/compte/double-authentification/", "/compte/deconnexion/", "/static/", "/api/")


class SecondFactorMiddleware:
    """Ask for the TOTP code after the password when the user has a device or a role needs one.

    Users with a confirmed device must enter a code at each login; users whose role makes the
    second factor mandatory (set by an administrator) are sent to set one up before anything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect(f"{reverse('partners:second_factor_verify')}?next={request.path}")
            if user_must_use_second_factor(user):
                return redirect("partners:second_factor_setup")
        return self.get_response(request)
