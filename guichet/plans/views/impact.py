# pages owned by a helper (placeholders until written)
from django.http import Http404


def impact_page(request, **kwargs):
    raise Http404
