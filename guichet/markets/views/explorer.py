"""Market explorer: a filière or an HS product → ranked markets (placeholder until built)."""

from django.shortcuts import render

from guichet.core.permissions import require
from guichet.markets import permissions


def explorer(request):
    require(permissions.can_view_markets(request.user))
    return render(request, "markets/explorer.html", {})
