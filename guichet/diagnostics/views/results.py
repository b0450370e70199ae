"""Stubs so that the results URLs resolve; the results engineer replaces this file."""

from django.http import HttpResponse


def _not_yet(*args, **kwargs) -> HttpResponse:
    return HttpResponse("Page en cours de construction.", status=501)


result = plan_edit = report_pdf = share = compare = _not_yet
