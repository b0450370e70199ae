# pages owned by a helper (placeholders until written)
from django.http import Http404


def plan_list(request, **kwargs):
    raise Http404


def plan_dashboard(request, **kwargs):
    raise Http404


def indicator_detail(request, **kwargs):
    raise Http404
