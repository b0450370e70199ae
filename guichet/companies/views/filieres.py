"""Stub: to be written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


filiere_list = filiere_create = filiere_edit = _todo
