"""The desk's section of the company file: the needs the company expressed, their status and
the partners they went to. Every member who may open the file sees that a need exists and
where it stands; its content and contact person only show to those who may open the need
(its partners and administrators), and each such display is written to the audit log."""

from django.db.models import Prefetch

from guichet.companies.permissions import can_view_company
from guichet.core.audit import audit_view
from guichet.core.permissions import is_platform_admin
from guichet.desk import permissions
from guichet.desk.models import Match, Need
from guichet.desk.status import NeedStatus, with_status


def _company_needs(company):
    matches = Match.objects.select_related("organisation").order_by("priority", "routed_at", "pk")
    return (
        with_status(Need.objects.filter(company=company, is_spam=False))
        .select_related("duplicate_of")
        .prefetch_related("subjects", Prefetch("matches", queryset=matches))
        .order_by("-submitted_at", "-pk")
    )


def _viewable(user, need) -> bool:
    """permissions.can_view_need, read from the prefetched matches (no query per need). A
    need attached to an open one is also opened by the partners of that one (as the need
    page allows): see needs_section."""
    if is_platform_admin(user):
        return True
    if not permissions.can_use_inbox(user):
        return False
    return any(m.organisation_id == user.organisation_id for m in need.matches.all())


def _row(need, user, viewable: bool) -> dict:
    if viewable:
        audit_view(obj=need, actor=user)
    return {
        "need": need,
        "viewable": viewable,
        "status_label": NeedStatus.label(need.status),
        "status_badge": NeedStatus.BADGES.get(need.status, ""),
        "partners": sorted({m.organisation.name for m in need.matches.all()}),
    }


def needs_section(company, user, request):
    if not can_view_company(user, company):
        return None
    needs = list(_company_needs(company))
    viewable = {need.pk for need in needs if _viewable(user, need)}
    # Duplicates are found among the same company's needs: the original is in the list.
    viewable |= {need.pk for need in needs if need.duplicate_of_id in viewable}
    rows = [_row(need, user, need.pk in viewable) for need in needs]
    return {
        "rows": rows,
        "open_count": sum(1 for row in rows if row["need"].status in NeedStatus.OPEN),
        "can_record": permissions.can_record_need(user),
    }
