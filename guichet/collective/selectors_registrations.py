"""Reads of the registrations: the table of an action's registrations (included in the staff
page of the action), a registration's page, the company file's section, the exports."""

from django.db.models import Count, Q
from django.urls import reverse

from guichet.collective import permissions
from guichet.collective.models import (
    ChecklistItem,
    CollectiveAction,
    Registration,
)
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.states import HOLDS_PLACE

# DSFR badge per state.
BADGES = {
    R.INTERESTED: "new",
    R.APPLIED: "info",
    R.SELECTED: "success",
    R.WAITING: "warning",
    R.NOT_SELECTED: "",
    R.CONFIRMED: "success",
    R.ATTENDED: "success",
    R.NO_SHOW: "error",
    R.CANCELLED: "",
}
# Order of the states in the tables: the live ones first.
STATE_ORDER = [
    R.CONFIRMED,
    R.SELECTED,
    R.WAITING,
    R.APPLIED,
    R.INTERESTED,
    R.ATTENDED,
    R.NO_SHOW,
    R.NOT_SELECTED,
    R.CANCELLED,
]
EXPORT_HEADERS = [
    "SIREN",
    "Entreprise",
    "État",
    "Rang sur la liste d'attente",
    "Inscrite le",
    "Inscrite par l'entreprise",
    "Organisme qui suit l'entreprise",
    "Conseiller",
    "Contact",
    "Courriel",
    "Téléphone",
    "Participation",
    "Prise en charge publique (€)",
    "Étapes de préparation faites",
    "Motif (non retenue ou annulée)",
]


def registrations_of(action: CollectiveAction):
    return (
        Registration.objects.filter(action=action)
        .select_related("action", "company", "organisation", "advisor")
        .annotate(ticks_done=Count("ticks", distinct=True))
        .order_by("created_at", "pk")
    )


def candidates_of(action: CollectiveAction):
    """Registrations a manager may select, put on the waiting list or turn down."""
    return registrations_of(action).filter(status__in=[R.APPLIED, R.WAITING, R.INTERESTED])


def participants_of(action: CollectiveAction):
    return registrations_of(action).filter(status__in=[R.CONFIRMED, R.ATTENDED, R.NO_SHOW])


def can_export_registrations(user, action: CollectiveAction) -> bool:
    """The list with the contacts: the organiser's managers (and administrators)."""
    return permissions.can_manage_action(user, action)


def badge(status: str) -> str:
    return BADGES.get(status, "")


def action_registrations_context(action: CollectiveAction, user) -> dict:
    """Registrations of the action by state, places left and the waiting list in order, with
    the links the user may follow. Names of companies only (contacts stay on each page)."""
    registrations = list(registrations_of(action))
    taken = sum(1 for r in registrations if r.status in HOLDS_PLACE)
    counts = dict.fromkeys(STATE_ORDER, 0)
    for registration in registrations:
        counts[registration.status] += 1
    manage = permissions.can_manage_action(user, action)
    checklist_size = ChecklistItem.objects.filter(action=action).count()
    rows = sorted(
        (
            {
                "registration": r,
                "badge": badge(r.status),
                "url": reverse("collective:registration_detail", args=[r.pk])
                if permissions.can_view_registration(user, r)
                else "",
            }
            for r in registrations
        ),
        key=lambda row: (
            STATE_ORDER.index(row["registration"].status),
            row["registration"].waiting_rank or 0,
            row["registration"].created_at,
        ),
    )
    slug = action.slug
    return {
        "registrations": rows,
        "counts": [
            {"status": s, "label": R(s).label, "count": counts[s], "badge": badge(s)}
            for s in STATE_ORDER
            if counts[s]
        ],
        "total": len(registrations),
        "capacity": action.capacity,
        "taken": taken,
        "places_left": max(action.capacity - taken, 0),
        "waiting": sorted(
            (r for r in registrations if r.status == R.WAITING),
            key=lambda r: (r.waiting_rank or 0, r.pk),
        ),
        "checklist_size": checklist_size,
        "can_manage": manage,
        "selection_url": reverse("collective:selection", args=[slug]) if manage else "",
        "attendance_url": reverse("collective:attendance", args=[slug]) if manage else "",
        "register_url": reverse("collective:register_company", args=[slug])
        if permissions.can_register_company(user, action)
        and action.status == CollectiveAction.Status.PUBLISHED
        else "",
        "export_url": reverse("collective:registrations_export", args=[slug])
        if can_export_registrations(user, action)
        else "",
    }


def registration_for_page(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related(
            "action__organiser", "action__country", "company", "organisation", "advisor"
        )
        .filter(pk=pk)
        .first()
    )


def checklist_of(registration: Registration) -> list[dict]:
    ticks = {t.item_id: t for t in registration.ticks.select_related("by")}
    return [
        {"item": item, "tick": ticks.get(item.pk)}
        for item in ChecklistItem.objects.filter(action_id=registration.action_id).order_by(
            "order", "pk"
        )
    ]


def company_registrations(company):
    return (
        Registration.objects.filter(company=company)
        .select_related("action", "organisation")
        .order_by("-action__starts_on", "-pk")
    )


def export_row(registration: Registration) -> tuple:
    advisor = registration.advisor
    reason = registration.not_selected_reason or registration.cancellation_reason
    return (
        registration.company.siren,
        registration.company.name,
        registration.get_status_display(),
        registration.waiting_rank,
        registration.created_at.date(),
        "oui" if registration.registered_by_company else "non",
        registration.organisation.name,
        (advisor.get_full_name() or advisor.email) if advisor else "",
        registration.contact_name,
        registration.contact_email,
        registration.contact_phone,
        registration.get_fee_status_display(),
        registration.subsidy_amount,
        getattr(registration, "ticks_done", registration.ticks.count()),
        reason,
    )


def live_count(action: CollectiveAction) -> dict:
    """Places taken and waiting list length (for the API)."""
    data = action.registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(status=R.WAITING)),
    )
    return {
        "taken": data["taken"],
        "waiting": data["waiting"],
        "places_left": max(action.capacity - data["taken"], 0),
    }
