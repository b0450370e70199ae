"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def record_need(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
