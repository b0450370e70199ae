"""The partner inbox: the matches routed to my organisation (filters, colours by delay,
exports, bulk actions) and the need as its partners see it, with their answer forms.

Contact details are personal data: each display of a need's page is written to the audit log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.core.audit import audit_view
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import is_platform_admin, require
from guichet.desk import permissions, selectors, services
from guichet.desk.forms_inbox import (
    AnswerForm,
    AssignForm,
    BulkForm,
    InboxFilterForm,
    RerouteForm,
    SpamForm,
)
from guichet.desk.models import OPEN_MATCH_STATUSES, DeskPolicy, MatchStatus, Need
from guichet.desk.status import NeedStatus, need_status

PAGE_SIZE = 25
EXPORT_HEADERS = [
    "Référence",
    "Reçue le",
    "Orientée le",
    "Entreprise",
    "SIRET",
    "Sujets",
    "Département",
    "Organisation",
    "État de l'orientation",
    "État de la demande",
    "Suivie par",
    "Âge (jours ouvrés)",
]


# --- The list -----------------------------------------------------------------------------


def _export_row(row: selectors.InboxRow) -> tuple:
    need, match = row.need, row.match
    return (
        need.reference,
        timezone.localtime(need.submitted_at).date(),
        timezone.localtime(match.routed_at).date(),
        need.company.name if need.company_id else need.company_name,
        need.siret,
        row.subject_labels,
        f"{need.departement.code} — {need.departement.name}" if need.departement_id else "",
        match.organisation.name,
        match.get_status_display(),
        row.need_status_label,
        match.assignee.get_full_name() if match.assignee_id else "",
        row.delay.days,
    )


def _export(matches, fmt: str, *, policy, day):
    def rows():
        for match in matches.iterator(chunk_size=500):
            yield _export_row(selectors.inbox_rows([match], policy=policy, day=day)[0])

    return export_response(
        rows=rows(), headers=EXPORT_HEADERS, filename="guichet-demandes", fmt=fmt, sheet="Demandes"
    )


def inbox(request):
    user = request.user
    require(permissions.can_use_inbox(user))
    policy, day = DeskPolicy.current(), selectors.today()
    admin = is_platform_admin(user)
    form = InboxFilterForm(request.GET or None, policy=policy, all_organisations=admin)
    filters = form.filters()
    matches = selectors.inbox_matches(user, filters, policy=policy, day=day)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(matches, fmt, policy=policy, day=day)
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "title": "Guichet — demandes reçues",
        "form": form,
        "filters": filters,
        "filtered": filters != selectors.InboxFilters(),
        "page_obj": page,
        "rows": selectors.inbox_rows(page.object_list, policy=policy, day=day),
        "policy": policy,
        "all_organisations": admin,
        "organisation": user.organisation,
        "colleagues": selectors.colleagues(user.organisation_id) if user.organisation_id else [],
        "query": query.urlencode(),
        "can_record": permissions.can_record_need(user),
        "can_declare_absence": permissions.can_declare_absence(user),
        "can_view_figures": permissions.can_view_figures(user),
        "can_manage_routing": permissions.can_manage_routing(user),
    }
    return render(request, "desk/inbox/inbox.html", context)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


_BULK_DONE = {
    BulkForm.TAKE: ("demande prise en charge", "demandes prises en charge"),
    BulkForm.ASSIGN: ("demande confiée", "demandes confiées"),
}


def _bulk_message(action: str, done: int, refused: list[str], assignee=None) -> str:
    """ "3 demandes prises en charge, 1 refusée : 26-K7M3QX — <the service's reason>"."""
    singular, plural = _BULK_DONE[action]
    head = _plural(done, singular, plural) if done else f"Aucune {singular}"
    if action == BulkForm.ASSIGN and assignee is not None and done:
        head += f" à {assignee.get_full_name()}"
    if not refused:
        return head + "."
    return f"{head}, {_plural(len(refused), 'refusée', 'refusées')} : " + " ; ".join(refused)


def _run_bulk(form: BulkForm, user) -> tuple[int, list[str]]:
    action, assignee = form.cleaned_data["action"], form.cleaned_data.get("assignee")
    done, refused = 0, []
    for match in form.cleaned_data["matches"].order_by("-routed_at", "-pk"):
        try:
            if action == BulkForm.TAKE:
                services.match_answer(match=match, user=user, status=MatchStatus.TAKEN)
            else:
                services.match_assign(match=match, assignee=assignee, by=user)
        except ValidationError as error:
            refused.append(f"{match.need.reference} — {' '.join(error.messages)}")
        else:
            done += 1
    return done, refused


@require_POST
def bulk(request):
    """Take in charge, or give to a colleague, the checked matches: each one that cannot be
    is reported with the service's reason; the others are done."""
    user = request.user
    require(permissions.can_use_inbox(user))
    form = BulkForm(
        request.POST,
        matches=selectors.inbox_scope(user).select_related("need", "organisation"),
        people=selectors.colleagues(user.organisation_id),
    )
    query = QueryDict(request.POST.get("query", "")).urlencode()
    back = reverse("desk:inbox") + (f"?{query}" if query else "")
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(back)
    done, refused = _run_bulk(form, user)
    text = _bulk_message(
        form.cleaned_data["action"], done, refused, form.cleaned_data.get("assignee")
    )
    if not refused:
        messages.success(request, text)
    elif done:
        messages.warning(request, text)
    else:
        messages.error(request, text)
    return redirect(back)


# --- One need -----------------------------------------------------------------------------


def _may_view(user, need: Need) -> bool:
    """A need attached to an open one has no match of its own: the partners of the need it
    was attached to see it."""
    if permissions.can_view_need(user, need):
        return True
    original = need.duplicate_of
    return original is not None and permissions.can_view_need(user, original)


def _need_or_404(request, reference: str) -> Need:
    need = selectors.need_for_detail(reference)
    if need is None:
        raise Http404("Aucune demande n'a cette référence.")
    require(_may_view(request.user, need))
    return need


def _match_of(need: Need, match_pk: int):
    for match in need.matches.all():
        if match.pk == match_pk:
            return match
    raise Http404("Cette orientation n'appartient pas à la demande.")


def _breadcrumb(need: Need) -> dict:
    return {
        "links": [{"url": reverse("desk:inbox"), "title": "Guichet"}],
        "current": f"Demande {need.reference}",
        "root_dir": "/",
    }


def _can_assign(user, match) -> bool:
    return match.is_open and (permissions.can_answer_match(user, match) or is_platform_admin(user))


def _match_blocks(request, need: Need, *, bound: dict, policy, day) -> list[dict]:
    user = request.user
    blocks = []
    for match in need.matches.all():
        block = {
            "match": match,
            "badge": selectors.match_badge(match),
            "delay": selectors.delay_of(match, policy, day),
        }
        if match.is_open and not need.is_spam and permissions.can_answer_match(user, match):
            block["answer_form"] = bound.get(("answer", match.pk)) or AnswerForm(
                match=match, prefix=f"reponse-{match.pk}"
            )
        if _can_assign(user, match):
            block["assign_form"] = bound.get(("assign", match.pk)) or AssignForm(
                people=selectors.colleagues(match.organisation_id),
                prefix=f"attribuer-{match.pk}",
                initial={"assignee": match.assignee_id},
            )
        blocks.append(block)
    return blocks


def _render_detail(request, need: Need, *, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    policy, day = DeskPolicy.current(), selectors.today()
    audit_view(obj=need, actor=user)
    code = need_status(need)
    can_spam = permissions.can_flag_spam(user, need)
    can_reroute = permissions.can_reroute(user, need) and not need.is_spam
    survey = selectors.survey_of(need)
    context = {
        "title": f"Demande {need.reference}",
        "need": need,
        "breadcrumb_data": _breadcrumb(need),
        "status_code": code,
        "status_label": NeedStatus.label(code),
        "status_badge": NeedStatus.BADGES.get(code, ""),
        "subjects": list(need.subjects.all()),
        "attached": list(need.attached_needs.all()),
        "blocks": _match_blocks(request, need, bound=bound, policy=policy, day=day),
        "events": list(need.events.all()),
        "emails": sorted(need.company_emails.all(), key=lambda e: (e.sent_at, e.pk)),
        "survey": survey,
        "survey_delay": policy.survey_delay_days,
        "can_flag_spam": can_spam,
        "spam_form": bound.get("spam") or (SpamForm() if can_spam else None),
        "reroute_form": bound.get("reroute") or (RerouteForm(need=need) if can_reroute else None),
        "can_open_company": need.company_id is not None,
    }
    return render(request, "desk/inbox/need_detail.html", context, status=status)


def need_detail(request, reference: str):
    need = _need_or_404(request, reference)
    return _render_detail(request, need)


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _back(need: Need, anchor: str = ""):
    return redirect(reverse("desk:need_detail", args=[need.reference]) + anchor)


def _answer_message(match, need: Need) -> str:
    if match.status == MatchStatus.TAKEN:
        return (
            f"Vous avez pris en charge la demande {need.reference} : "
            "l'entreprise en est informée par courriel."
        )
    if match.status == MatchStatus.REFUSED:
        others = [
            m.organisation.name
            for m in need.matches.select_related("organisation").filter(
                status__in=OPEN_MATCH_STATUSES
            )
        ]
        if others:
            return (
                f"Refus enregistré : la demande {need.reference} est désormais orientée vers "
                f"{', '.join(others)}."
            )
        return (
            f"Refus enregistré : aucun autre partenaire n'a la demande {need.reference} "
            "en cours ; le guichet la réorientera."
        )
    return (
        f"La demande {need.reference} est close pour votre organisation "
        f"({match.get_status_display()})."
    )


@require_POST
def match_answer(request, reference: str, match_pk: int):
    need = _need_or_404(request, reference)
    match = _match_of(need, match_pk)
    require(permissions.can_answer_match(request.user, match))
    form = AnswerForm(request.POST, match=match, prefix=f"reponse-{match.pk}")
    if form.is_valid():
        status = form.cleaned_data["status"]
        try:
            answered = services.match_answer(
                match=match,
                user=request.user,
                status=status,
                refusal_reason=form.cleaned_data["refusal_reason"]
                if status == MatchStatus.REFUSED
                else "",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _answer_message(answered, need))
            return _back(need, "#orientations")
    return _render_detail(request, need, bound={("answer", match.pk): form})


@require_POST
def match_assign(request, reference: str, match_pk: int):
    need = _need_or_404(request, reference)
    match = _match_of(need, match_pk)
    require(_can_assign(request.user, match))
    form = AssignForm(
        request.POST,
        people=selectors.colleagues(match.organisation_id),
        prefix=f"attribuer-{match.pk}",
    )
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            services.match_assign(match=match, assignee=assignee, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"La demande {need.reference} est confiée à {assignee.get_full_name()}."
            )
            return _back(need, "#orientations")
    return _render_detail(request, need, bound={("assign", match.pk): form})


@require_POST
def need_spam(request, reference: str):
    """Flag a need as spam (with a reason), or restore one flagged by mistake."""
    need = _need_or_404(request, reference)
    require(permissions.can_flag_spam(request.user, need))
    if request.POST.get("action") == "restore":
        if need.is_spam:
            services.need_unflag_spam(need=need, by=request.user)
            messages.success(request, f"La demande {need.reference} est rétablie et réorientée.")
        return _back(need)
    form = SpamForm(request.POST)
    if form.is_valid():
        try:
            services.need_flag_spam(need=need, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"La demande {need.reference} est marquée indésirable : "
                "ses orientations en cours sont annulées.",
            )
            return _back(need)
    return _render_detail(request, need, bound={"spam": form})


@require_POST
def need_reroute(request, reference: str):
    """Send the need by hand to another partner (one that does not hold it yet)."""
    need = _need_or_404(request, reference)
    require(permissions.can_reroute(request.user, need) and not need.is_spam)
    form = RerouteForm(request.POST, need=need)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.match_create_manual(
                need=need,
                organisation=organisation,
                by=request.user,
                subject=form.cleaned_data["subject"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"La demande {need.reference} est transmise à {organisation.name}."
            )
            return _back(need, "#orientations")
    return _render_detail(request, need, bound={"reroute": form})
