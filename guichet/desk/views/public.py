"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def intake(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def intake_done(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def company_lookup(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
