"""Login, logout, lockout, password reset and the optional second factor (TOTP)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.partners import forms
from guichet.partners.selectors import user_must_use_second_factor


class LoginView(auth_views.LoginView):
    template_name = "partners/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


def lockout_response(request, original_response=None, credentials=None):
    """Shown once an account has too many failed logins (django-axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = forms.LoginForm(request)
    context = {"title": "Compte verrouillé", "form": form, "locked_minutes": minutes, "next": ""}
    return render(request, "partners/login.html", context, status=429)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "partners/password_reset.html"
    form_class = forms.ResetRequestForm
    email_template_name = "partners/email/password_reset.txt"
    subject_template_name = "partners/password_reset_subject.txt"
    success_url = reverse_lazy("partners:password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "partners/password_reset_done.html"
    extra_context = {"title": "Message envoyé"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "partners/password_reset_confirm.html"
    form_class = forms.ChoosePasswordForm
    success_url = reverse_lazy("partners:password_reset_complete")
    extra_context = {"title": "Choisir un mot de passe"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "partners/password_reset_complete.html"
    extra_context = {"title": "Mot de passe enregistré"}


def _safe_next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse_lazy("core:home")


def second_factor_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("partners:second_factor_setup")
    form = forms.SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", "Code incorrect ou expiré. Saisissez le code affiché maintenant.")
    context = {"title": "Double authentification", "form": form, "next": _safe_next(request)}
    return render(request, "partners/second_factor_verify.html", context)


def second_factor_setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        messages.info(request, "La double authentification est déjà activée sur votre compte.")
        return redirect("partners:account")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Application d'authentification"}
    )
    form = forms.SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "La double authentification est activée.")
            return redirect("partners:account")
        form.add_error("code", "Code incorrect. Vérifiez l'heure de votre téléphone et réessayez.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "title": "Activer la double authentification",
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, omitsize=True),
        "secret": _base32_secret(device),
        "mandatory": user_must_use_second_factor(request.user),
    }
    return render(request, "partners/second_factor_setup.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def second_factor_disable(request):
    if request.method != "POST":
        return redirect("partners:account")
    if not request.user.is_verified():
        # Knowing the password is not enough to remove the second factor: give the code first.
        return redirect("partners:second_factor_verify")
    if user_must_use_second_factor(request.user):
        messages.error(request, "Votre rôle impose la double authentification : elle reste active.")
        return redirect("partners:account")
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "La double authentification est désactivée.")
    return redirect("partners:account")


def account(request):
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    context = {
        "title": "Mon compte",
        "has_second_factor": has_device,
        "second_factor_mandatory": user_must_use_second_factor(request.user),
    }
    return render(request, "partners/account.html", context)


login_view = login_not_required(LoginView.as_view())
