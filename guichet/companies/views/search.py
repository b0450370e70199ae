"""Stub: to be written."""

from django.shortcuts import render

from guichet.companies import permissions
from guichet.core.permissions import require


def search(request):
    require(permissions.can_search_registry(request.user))
    return render(request, "companies/search.html", {"title": "Entreprises"})
