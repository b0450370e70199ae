"""Stub: to be written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


import_list = import_create = import_detail = import_status = _todo
