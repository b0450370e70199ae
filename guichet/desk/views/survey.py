"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def survey(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
