"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def public_figures(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def figures(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
