"""The client's IP address, for login throttling and the public desk's rate limits.

Behind N trusted reverse proxies (GUICHET_PROXY_COUNT=N), each proxy appends the address it
received the request from to X-Forwarded-For: the client is the N-th entry from the right.
Entries further left are set by the client and cannot be trusted."""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    if proxies:
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")
