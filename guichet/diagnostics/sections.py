"""The "Diagnostics export" section of the company file: every diagnostic of the company with
its date, status, level and score, whoever ran it (the answers stay with the organisation
that ran it), and the button to start a new one."""

from django.db.models import Count

from guichet.diagnostics import permissions, selectors
from guichet.diagnostics.models import Diagnostic, Question
from guichet.diagnostics.scoring import level_label

BADGES = {
    Diagnostic.Status.IN_PROGRESS: "info",
    Diagnostic.Status.COMPLETED: "success",
    Diagnostic.Status.SHARED: "success",
}


def _row(diagnostic, user, totals: dict) -> dict:
    return {
        "diagnostic": diagnostic,
        "badge": BADGES.get(diagnostic.status, ""),
        "level_label": level_label(diagnostic.level),
        "answered": diagnostic.answered_count,
        "total": totals.get(diagnostic.version_id, 0),
        "can_fill": permissions.can_fill_diagnostic(user, diagnostic),
        "can_view_answers": permissions.can_view_answers(user, diagnostic),
    }


def diagnostics_section(company, user, request) -> dict | None:
    if not permissions.can_view_diagnostics_of(user, company):
        return None
    diagnostics = list(
        selectors.company_diagnostics(company).annotate(answered_count=Count("answers"))
    )
    versions = {d.version_id for d in diagnostics}
    totals = dict(
        Question.objects.filter(version_id__in=versions)
        .values("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
    )
    rows = [_row(d, user, totals) for d in diagnostics]
    completed = [d for d in diagnostics if d.status != Diagnostic.Status.IN_PROGRESS]
    return {
        "rows": rows,
        "can_start": permissions.can_start_diagnostic(user, company),
        "can_compare": len(completed) >= 2 and permissions.can_compare(user, company),
    }
