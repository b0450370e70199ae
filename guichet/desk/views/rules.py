"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def rule_list(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def rule_create(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def rule_edit(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def preview(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def coverage(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def policy(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def subjects(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
