"""Stub: to be written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


detail = export_profile_edit = contact_create = contact_edit = contact_opt_out = _todo
