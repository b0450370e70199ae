"""Short references people quote on the phone: no 0/O nor 1/I to confuse."""

import secrets

from django.utils import timezone

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def yearly_reference(prefix: str = "", length: int = 6) -> str:
    """`prefix` + two-digit year + "-" + random characters, e.g. "26-K7Q2MX", "AI26-K7Q2MX"."""
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{prefix}{timezone.localdate():%y}-{suffix}"
