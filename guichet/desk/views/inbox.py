"""Stub: filled in by the engineer who owns this module."""

from django.http import HttpResponse


def inbox(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def bulk(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def need_detail(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def match_answer(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def match_assign(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def need_reroute(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)


def need_spam(request, *args, **kwargs):
    return HttpResponse("À venir", status=501)
