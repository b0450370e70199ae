"""Helpers shared by the journey services: who acts (a person, or a partner's system through
the API) and who may be named lead advisor or assignee."""

from django.core.exceptions import ValidationError

from guichet.partners.models import User


def person(by) -> User | None:
    """The user behind an action, or None when a system acts (an API key, a daily job)."""
    return by if isinstance(by, User) and by.pk is not None else None


def organisation_of(by):
    return getattr(by, "organisation", None) if by is not None else None


def is_working_member(user) -> bool:
    """Someone who works with companies: active, in an organisation, with a working role
    (advisor, instructor, expert, manager, administrator) and not read-only."""
    from guichet.journeys.permissions import works_with_companies

    return works_with_companies(user)


def check_working_member(user, field: str, what: str) -> None:
    if user is None:
        raise ValidationError({field: f"Choisissez {what}."})
    if not is_working_member(user):
        raise ValidationError(
            {
                field: f"{user.get_full_name() or user.email} ne peut pas être {what} : "
                "il faut un membre actif d'une organisation partenaire, qui travaille avec "
                "les entreprises (pas en lecture seule)."
            }
        )
