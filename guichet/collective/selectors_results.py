"""Placeholder (owned by the results part): surveys of a registration, results of an action."""


def registration_surveys_context(registration, user) -> dict:
    return {}


def action_results_summary(action) -> dict:
    return {}
