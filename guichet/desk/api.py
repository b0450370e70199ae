"""The desk in the API: a partner's website or CRM sends the needs it receives, and reads the
needs routed to its organisation. A need sent by the API is validated by the same form as the
public page (guichet.desk.forms.NeedForm) and recorded by the same service, so it is routed,
attached to an open need of the company and acknowledged to the company alike."""

from datetime import datetime

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch, Q
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from guichet.companies.api_company import ApiKeyActor
from guichet.core.api_errors import ApiNotFound
from guichet.core.audit import acting_as, audit_view
from guichet.desk import services
from guichet.desk.forms import NeedForm
from guichet.desk.models import Channel, Match, Need, Subject
from guichet.desk.status import NeedStatus, need_status, with_status

router = Router(tags=["Guichet"])

MAX_PAGE_SIZE = 100
_TEXT_FIELDS = (
    "siret",
    "company_name",
    "postal_code",
    "description",
    "contact_first_name",
    "contact_last_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)


# --- schemas -----------------------------------------------------------------------------------


class NeedIn(Schema):
    """A need as the public form receives it. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    siret: str | None = Field(
        None,
        description="SIRET de l'établissement (14 chiffres, clé vérifiée) ; vide si "
        "l'entreprise est en création.",
    )
    company_name: str | None = Field(None, description="Raison sociale (obligatoire).")
    postal_code: str | None = Field(
        None, description="Code postal de l'établissement (5 chiffres, obligatoire)."
    )
    subjects: list[str] = Field(
        default_factory=list,
        description="Codes des sujets (au moins un) : voir GET /needs/subjects, par exemple "
        "`clients-etranger`, `financer-prospection`.",
    )
    description: str | None = Field(None, description="Le besoin (3 000 caractères au plus).")
    contact_first_name: str | None = Field(None, description="Prénom (obligatoire).")
    contact_last_name: str | None = Field(None, description="Nom (obligatoire).")
    contact_role: str | None = Field(None, description="Fonction dans l'entreprise.")
    contact_email: str | None = Field(None, description="Adresse électronique (obligatoire).")
    contact_phone: str | None = Field(None, description="Téléphone, format français.")
    consent: bool = Field(
        False,
        description="Accord de la personne pour la transmission aux partenaires du guichet "
        "(doit valoir true).",
    )


class SubjectOut(Schema):
    code: str
    label: str


class NeedCreatedOut(Schema):
    reference: str = Field(description="Référence de la demande enregistrée.")
    status: str = Field(description="État de la demande (codes : voir GET /needs).")
    status_label: str
    attached_to: str | None = Field(
        description="Référence de la demande en cours de l'entreprise à laquelle celle-ci a été "
        "rattachée, sinon null."
    )
    subjects: list[SubjectOut]
    submitted_at: datetime


class ContactOut(Schema):
    first_name: str
    last_name: str
    role: str
    email: str
    phone: str


class MatchOut(Schema):
    organisation: str
    status: str
    status_label: str
    routed_at: datetime
    first_answer_at: datetime | None
    closed_at: datetime | None


class NeedOut(Schema):
    reference: str
    status: str
    status_label: str
    submitted_at: datetime
    channel: str
    channel_label: str
    siren: str | None = Field(description="SIREN de l'entreprise du registre, si elle y est.")
    siret: str
    company_name: str
    postal_code: str
    departement: str | None
    subjects: list[SubjectOut]
    description: str
    contact: ContactOut
    attached_to: str | None
    matches: list[MatchOut] = Field(description="Les partenaires qui ont reçu la demande.")


class NeedsQuery(Schema):
    status: str = Field("", description="Filtre sur l'état de la demande.")
    page: int = 1
    page_size: int = 25


class NeedPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[NeedOut]


# --- helpers -----------------------------------------------------------------------------------


def _invalid(errors: dict, *location: str) -> ValidationError:
    """French messages in the API's error format, located as ninja locates its own errors."""
    location = location or ("body", "payload")
    return ValidationError(
        [
            {"loc": [*location] if field == "__all__" else [*location, field], "msg": str(message)}
            for field, messages in errors.items()
            for message in messages
        ]
    )


def _subjects(need: Need) -> list[dict]:
    return [{"code": s.code, "label": s.label} for s in need.subjects.all()]


def _need_out(need: Need) -> dict:
    return {
        "reference": need.reference,
        "status": need.status,
        "status_label": NeedStatus.label(need.status),
        "submitted_at": need.submitted_at,
        "channel": need.channel,
        "channel_label": str(Channel(need.channel).label),
        "siren": need.company.siren if need.company else None,
        "siret": need.siret,
        "company_name": need.company_name,
        "postal_code": need.postal_code,
        "departement": need.departement_id,
        "subjects": _subjects(need),
        "description": need.description,
        "contact": {
            "first_name": need.contact_first_name,
            "last_name": need.contact_last_name,
            "role": need.contact_role,
            "email": need.contact_email,
            "phone": need.contact_phone,
        },
        "attached_to": need.duplicate_of.reference if need.duplicate_of else None,
        "matches": [
            {
                "organisation": m.organisation.name,
                "status": m.status,
                "status_label": str(m.get_status_display()),
                "routed_at": m.routed_at,
                "first_answer_at": m.first_answer_at,
                "closed_at": m.closed_at,
            }
            for m in need.matches.all()
        ],
    }


def _needs():
    matches = Match.objects.select_related("organisation").order_by("routed_at", "pk")
    return (
        with_status(Need.objects.all())
        .select_related("company", "duplicate_of")
        .prefetch_related("subjects", Prefetch("matches", queryset=matches))
    )


def _routed_to(organisation):
    return Match.objects.filter(organisation=organisation).values("need_id")


def _shown(request, needs: list[Need]) -> list[dict]:
    """Contact details leave the platform: each need sent is written to the audit log in the
    name of the API key."""
    actor = ApiKeyActor(key=request.auth)
    for need in needs:
        audit_view(obj=need, actor=actor)
    return [_need_out(need) for need in needs]


# --- endpoints ---------------------------------------------------------------------------------


@router.post(
    "/needs",
    response={201: NeedCreatedOut},
    summary="Transmettre le besoin d'une entreprise au guichet",
    description=(
        "Enregistre un besoin reçu par le site ou les conseillers de votre organisation, avec "
        "les mêmes contrôles que le formulaire public du guichet : SIRET (clé vérifiée), code "
        "postal, au moins un sujet connu, description de 3 000 caractères au plus sans balise "
        "HTML, adresse électronique et téléphone valides, accord de la personne (`consent` à "
        "true). La demande est orientée vers le partenaire compétent selon les règles du "
        "guichet, ou rattachée à la demande en cours de l'entreprise (`attached_to`) ; "
        "l'entreprise reçoit un accusé de réception. Une erreur renvoie 422 avec un message "
        "par champ, et rien n'est enregistré. Un champ inconnu est refusé."
    ),
)
def need_create(request, payload: NeedIn):
    values = payload.dict()
    data = {name: values[name] or "" for name in _TEXT_FIELDS}
    form = NeedForm({**data, "subjects": values["subjects"], "consent": values["consent"]})
    if not form.is_valid():
        raise _invalid(form.errors)
    actor = ApiKeyActor(key=request.auth)
    with acting_as(actor, path=request.path):
        result = services.need_submit(
            data=form.need_data(),
            subjects=form.cleaned_data["subjects"],
            channel=Channel.API,
            source_organisation=request.api_organisation,
            consent=form.cleaned_data["consent"],
        )
    need = result.need
    status = need_status(need)
    return Status(
        201,
        {
            "reference": need.reference,
            "status": status,
            "status_label": NeedStatus.label(status),
            "attached_to": result.attached_to.reference if result.attached_to else None,
            "subjects": _subjects(need),
            "submitted_at": need.submitted_at,
        },
    )


@router.get(
    "/needs/subjects",
    response=list[SubjectOut],
    summary="Sujets proposés aux entreprises",
    description="Les codes acceptés dans `subjects` par POST /needs, dans l'ordre du formulaire "
    "public du guichet.",
)
def subject_list(request):
    return list(Subject.objects.filter(is_active=True).order_by("order", "label"))


_STATUS_HELP = ", ".join(f"`{code}` ({label})" for code, label in NeedStatus.CHOICES)


@router.get(
    "/needs",
    response=NeedPageOut,
    summary="Demandes orientées vers votre organisation",
    description=(
        "Les demandes du guichet transmises à votre organisation, de la plus récente à la plus "
        "ancienne, avec la personne à recontacter (chaque lecture est enregistrée au journal "
        f"d'audit). Filtre `status` : {_STATUS_HELP}. 25 par page (`page_size` jusqu'à 100)."
    ),
)
def need_list(request, params: Query[NeedsQuery]):
    errors = {}
    if params.status and params.status not in NeedStatus.LABELS:
        errors["status"] = [
            f"État inconnu : {params.status}. Valeurs possibles : "
            + ", ".join(NeedStatus.LABELS)
            + "."
        ]
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"La taille de page va de 1 à {MAX_PAGE_SIZE}."]
    if params.page < 1:
        errors["page"] = ["Le numéro de page commence à 1."]
    if errors:
        raise _invalid(errors, "query")
    routed = _routed_to(request.api_organisation)
    needs = _needs().filter(pk__in=routed, is_spam=False).order_by("-submitted_at", "-pk")
    if params.status:
        needs = needs.filter(status=params.status)
    paginator = Paginator(needs, params.page_size)
    try:
        page = paginator.page(params.page)
    except EmptyPage:
        page = None
    return {
        "count": paginator.count,
        "page": params.page,
        "pages": paginator.num_pages,
        "results": _shown(request, list(page.object_list)) if page else [],
    }


@router.get(
    "/needs/{reference}",
    response=NeedOut,
    summary="Une demande du guichet",
    description=(
        "Une demande transmise à votre organisation ou envoyée par elle, avec ses partenaires "
        "et leur réponse ; une demande rattachée (`attached_to`) se lit par les partenaires de "
        "la demande en cours à laquelle elle l'a été. Toute autre référence répond 404."
    ),
)
def need_detail(request, reference: str):
    organisation = request.api_organisation
    need = (
        _needs()
        .filter(reference=reference.strip().upper())
        .filter(
            Q(pk__in=_routed_to(organisation))
            | Q(duplicate_of__in=_routed_to(organisation))
            | Q(source_organisation=organisation)
        )
        .first()
    )
    if need is None:
        raise ApiNotFound(
            f"Aucune demande de référence {reference} n'a été transmise à votre organisation "
            "ni envoyée par elle."
        )
    return _shown(request, [need])[0]


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(
        description="taken (prise en charge), done (close avec aide), done_no_help (close sans "
        "aide), unreachable (entreprise injoignable) ou refused (pas pour nous)."
    )
    refusal_reason: str = Field(
        "",
        description="Obligatoire pour un refus : out_of_scope, out_of_territory, not_eligible, "
        "already_followed, no_capacity ou other (préciser alors dans comment).",
    )
    comment: str = Field("", max_length=4000)


@router.post(
    "/needs/{reference}/answer",
    response=NeedOut,
    summary="Répondre à une demande transmise à votre organisation",
    description=(
        "La même réponse que dans la boîte de réception : prise en charge (l'entreprise en est "
        "prévenue), close avec ou sans aide, entreprise injoignable, ou refus motivé (la demande "
        "passe au partenaire suivant). Répond 422 avec un message en français si la réponse "
        "n'est pas possible (orientation déjà close, motif manquant…)."
    ),
)
def need_answer(request, reference: str, payload: AnswerIn):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from guichet.desk.models import OPEN_MATCH_STATUSES

    organisation = request.api_organisation
    match = (
        Match.objects.filter(need__reference=reference.strip().upper(), organisation=organisation)
        .select_related("need")
        .first()
    )
    if match is None:
        raise ApiNotFound(
            f"Aucune demande de référence {reference} n'a été transmise à votre organisation."
        )
    if match.status not in OPEN_MATCH_STATUSES:
        raise _invalid(
            {"status": [f"Cette orientation est déjà close ({match.get_status_display()})."]}
        )
    actor = ApiKeyActor(key=request.auth)
    try:
        with acting_as(None, path=request.path):
            services.match_answer(
                match=match,
                user=actor,
                status=payload.status,
                refusal_reason=payload.refusal_reason,
                comment=payload.comment,
            )
    except DjangoValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise _invalid(errors) from error
    need = _needs().get(pk=match.need_id)
    return _shown(request, [need])[0]
