"""Placeholder (owned by the registrations part): the registrations table of an action."""


def action_registrations_context(action, user) -> dict:
    return {}
