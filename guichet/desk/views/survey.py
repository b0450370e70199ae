"""The satisfaction survey (no account): the company opens the signed link of the e-mail sent
after its need was closed, answers once, and is thanked.

The link carries the need's id and reference, signed with the survey salt; it works for
SURVEY_MAX_AGE. A broken link answers 400, an expired one 410 (Gone), each with a French page
telling how to reach the desk."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from guichet.desk.forms import reject_markup
from guichet.desk.models import DeskPolicy, MatchStatus, Need, SurveyResponse
from guichet.desk.services.mail import SURVEY_MAX_AGE, SURVEY_SALT
from guichet.desk.services.survey import COMMENT_MAX, survey_answer
from guichet.desk.status import NeedStatus, need_status

SHARE_LABEL = "J'accepte que mon commentaire soit transmis au partenaire qui a traité ma demande"
_HANDLED = (MatchStatus.TAKEN, MatchStatus.DONE, MatchStatus.DONE_NO_HELP, MatchStatus.UNREACHABLE)


class SurveyForm(DsfrBaseForm):
    contacted = forms.ChoiceField(
        label="Avez-vous été contacté par un conseiller ?",
        choices=[("yes", "Oui"), ("no", "Non")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez si un conseiller vous a contacté.",
            "invalid_choice": "Répondez par oui ou par non.",
        },
    )
    useful = forms.ChoiceField(
        label="La réponse vous a-t-elle été utile ?",
        choices=SurveyResponse.Useful.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="À renseigner si un conseiller vous a contacté.",
        error_messages={"invalid_choice": "Choisissez oui, en partie ou non."},
    )
    comment = forms.CharField(
        label="Votre commentaire",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Ce qui vous a aidé, ce qui a manqué ({COMMENT_MAX} caractères au plus). "
        "N'y indiquez pas d'informations confidentielles.",
        validators=[reject_markup],
        error_messages={"max_length": f"Le commentaire compte {COMMENT_MAX} caractères au plus."},
    )
    comment_shared = forms.BooleanField(label=SHARE_LABEL, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contacted") == "yes" and not cleaned.get("useful"):
            self.add_error("useful", "Indiquez si la réponse vous a été utile.")
        return cleaned


def _message(request, *, title: str, text: str, severity: str = "info", status: int = 200):
    context = {
        "title": title,
        "text": text,
        "severity": severity,
        "policy": DeskPolicy.current(),
    }
    return render(request, "desk/survey/message.html", context, status=status)


def _invalid(request, *, expired: bool):
    if expired:
        return _message(
            request,
            title="Ce lien n'est plus valide",
            text="Le lien de l'enquête a expiré : il fonctionne pendant "
            f"{SURVEY_MAX_AGE // 86400} jours après l'envoi du courriel.",
            severity="warning",
            status=410,
        )
    return _message(
        request,
        title="Ce lien n'est plus valide",
        text="Le lien de l'enquête est incomplet ou a été modifié : copiez-le en entier depuis "
        "le courriel reçu.",
        severity="error",
        status=400,
    )


def need_from_token(token: str) -> tuple[Need | None, bool]:
    """The need of a survey link, and whether the link expired."""
    try:
        payload = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.SignatureExpired:
        return None, True
    except signing.BadSignature:
        return None, False
    if not isinstance(payload, dict):
        return None, False
    need = (
        Need.objects.filter(pk=payload.get("need"), reference=payload.get("ref"))
        .prefetch_related("matches__organisation")
        .first()
    )
    return need, False


def _partners(need: Need) -> list[str]:
    return sorted({m.organisation.name for m in need.matches.all() if m.status in _HANDLED})


def _apply_errors(form: SurveyForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    need, expired = need_from_token(token)
    if need is None:
        return _invalid(request, expired=expired)
    if SurveyResponse.objects.filter(need=need).exists():
        if request.GET.get("merci"):
            return render(
                request,
                "desk/survey/thanks.html",
                {"title": "Merci pour votre réponse", "policy": DeskPolicy.current()},
            )
        return _message(
            request,
            title="Vous avez déjà répondu, merci",
            text=f"Votre réponse à l'enquête sur la demande {need.reference} est enregistrée ; "
            "elle ne peut plus être modifiée.",
        )
    if need_status(need) not in NeedStatus.CLOSED:
        return _message(
            request,
            title="Votre demande est encore en cours",
            text=f"La demande {need.reference} n'est pas encore close : l'enquête de "
            "satisfaction vous sera proposée une fois votre demande traitée.",
        )
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_answer(
                need=need,
                contacted=data["contacted"] == "yes",
                useful=data["useful"],
                comment=data["comment"],
                comment_shared=data["comment_shared"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "answered":
                return redirect(request.path)
            _apply_errors(form, error)
        else:
            return redirect(f"{request.path}?merci=1")
    context = {
        "title": f"Votre avis sur la demande {need.reference}",
        "form": form,
        "need": need,
        "partners": _partners(need),
        "policy": DeskPolicy.current(),
    }
    return render(request, "desk/survey/survey.html", context, status=200)
