"""The "Actions collectives" section of the company file: the company's registrations to
fairs and missions with their state, for whoever may open the file; the registration's page
(contact, preparation, subsidy) opens for the organiser and the organisation that follows the
company."""

from django.urls import NoReverseMatch, reverse

from guichet.collective import permissions
from guichet.collective.selectors_registrations import badge, company_registrations
from guichet.companies.permissions import can_view_company


def collective_section(company, user, request) -> dict | None:
    if not can_view_company(user, company):
        return None
    rows = [
        {
            "registration": registration,
            "badge": badge(registration.status),
            "url": reverse("collective:registration_detail", args=[registration.pk])
            if permissions.can_view_registration(user, registration)
            else "",
        }
        for registration in company_registrations(company)
    ]
    try:
        actions_url = reverse("collective:actions")
    except NoReverseMatch:
        actions_url = ""
    return {
        "rows": rows,
        "can_register": permissions.can_register_company(user),
        "actions_url": actions_url,
    }
