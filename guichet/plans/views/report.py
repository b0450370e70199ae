# pages owned by a helper (placeholders until written)
from django.http import Http404


def report_download(request, **kwargs):
    raise Http404
