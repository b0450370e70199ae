"""Work in progress (diagnostic core)."""

from django.http import HttpResponse


def _not_yet(*args, **kwargs) -> HttpResponse:
    return HttpResponse("Page en cours de construction.", status=501)


questionnaire_list = version_detail = version_new = version_publish = _not_yet
version_notes_edit = question_edit = _not_yet
start = fill = link = complete = company_fill = _not_yet
