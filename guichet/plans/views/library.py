# pages owned by a helper (placeholders until written)
from django.http import Http404


def library_list(request, **kwargs):
    raise Http404
