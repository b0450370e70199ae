# pages owned by a helper (placeholders until written)
from django.http import Http404


def indicator_records(request, **kwargs):
    raise Http404
