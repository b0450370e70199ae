"""The "Aides individuelles" section of the company file: every application of the company
with its scheme, status and amounts, for whoever may open the file. Only the organisations
following a file (and the scheme's provider) open it; the others see that it exists."""

from django.urls import NoReverseMatch, reverse

from guichet.aids import permissions
from guichet.aids.models import Application, ApplicationStatus
from guichet.aids.services.states import COMPANY_EDITABLE
from guichet.companies.permissions import can_view_company

BADGES = {
    ApplicationStatus.DRAFT: "",
    ApplicationStatus.SUBMITTED: "info",
    ApplicationStatus.INCOMPLETE: "warning",
    ApplicationStatus.INSTRUCTION: "info",
    ApplicationStatus.COMMITTEE: "info",
    ApplicationStatus.APPROVED: "success",
    ApplicationStatus.REJECTED: "error",
    ApplicationStatus.WITHDRAWN: "",
    ApplicationStatus.SIGNED: "success",
    ApplicationStatus.PAYING: "success",
    ApplicationStatus.PAID: "success",
    ApplicationStatus.CLOSED: "",
}


def _file_url(application: Application, user) -> str:
    """Where the full file opens for this user ("" when it does not)."""
    if not permissions.can_view_application(user, application):
        return ""
    if application.status in COMPANY_EDITABLE and permissions.can_edit_application(
        user, application
    ):
        return reverse("aids:application_edit", args=[application.reference])
    try:
        return reverse("aids:application_detail", args=[application.reference])
    except NoReverseMatch:
        return ""


def aids_section(company, user, request) -> dict | None:
    # can_view_application_summary is "may open this company's file": the same for every row.
    applications = (
        list(
            Application.objects.filter(company=company)
            .select_related("scheme__provider", "organisation")
            .order_by("-created_at", "-pk")
        )
        if can_view_company(user, company)
        else []
    )
    visible = applications
    can_file = permissions.can_file_application(user, company)
    if not visible and not can_file:
        return None
    rows = [
        {
            "application": a,
            "badge": BADGES.get(a.status, ""),
            "url": _file_url(a, user),
        }
        for a in visible
    ]
    return {"rows": rows, "can_file": can_file}
