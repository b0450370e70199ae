"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def absences(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def hand_over(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
