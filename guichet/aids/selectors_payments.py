"""Placeholder: the payments/agreement/results part of the application page (owned by the
helper building payments; replaced by the real implementation)."""


def payments_context(application, user) -> dict:
    return {}
