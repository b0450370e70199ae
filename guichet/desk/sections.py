"""The desk's section of the company file (stub: filled in by the intake engineer)."""


def needs_section(company, user, request):
    return None
