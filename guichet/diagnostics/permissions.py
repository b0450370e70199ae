"""Who may see and do what with export diagnostics (capability 4).

- Questionnaires: every member reads the published questionnaires and how they are scored;
  administrators create, edit (drafts only) and publish versions.
- Starting and filling a diagnostic: members who work with companies (every role but
  read-only) of any organisation start one; the organisation that runs it (its working
  members) and administrators fill and complete it.
- Reading: a diagnostic's answers, the advisor's synthesis and the action plan belong to the
  organisation that ran it (all its members but read-only ones) and to administrators. Every
  member who may open the company file sees that a diagnostic exists, its date, status, level
  and scores — never the answers.
- An API key acts for its organisation: the `*_for_organisation` predicates decide for it.
"""

from guichet.companies.permissions import can_view_company
from guichet.core.permissions import is_platform_admin

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def _member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def _works_with_companies(user) -> bool:
    return bool(
        _member(user) and user.has_role(*WORKING_ROLES) and not user.has_role("readonly")
    ) or is_platform_admin(user)


def _runs(user, diagnostic) -> bool:
    """A working member of the organisation that runs the diagnostic, or an administrator."""
    if is_platform_admin(user):
        return True
    return (
        _works_with_companies(user)
        and diagnostic.organisation_id is not None
        and diagnostic.organisation_id == user.organisation_id
    )


# --- questionnaires --------------------------------------------------------------------------


def can_view_questionnaires(user) -> bool:
    return _member(user) or is_platform_admin(user)


def can_manage_questionnaires(user) -> bool:
    return is_platform_admin(user)


# --- diagnostics -----------------------------------------------------------------------------


def can_view_diagnostics_of(user, company=None) -> bool:
    """Sees that diagnostics exist, their dates, levels and scores (the company file)."""
    return can_view_company(user, company)


def can_view_diagnostic(user, diagnostic) -> bool:
    """The summary: date, status, level and scores (not the answers)."""
    return can_view_diagnostics_of(user, diagnostic.company)


def can_view_answers(user, diagnostic) -> bool:
    """Answers, synthesis, action plan, report."""
    return _runs(user, diagnostic)


def can_start_diagnostic(user, company=None) -> bool:
    return _works_with_companies(user) and (
        user.organisation_id is not None or is_platform_admin(user)
    )


def can_fill_diagnostic(user, diagnostic) -> bool:
    """Answer, save, send the company its link. Only while the diagnostic is in progress."""
    return _runs(user, diagnostic) and diagnostic.status == diagnostic.Status.IN_PROGRESS


def can_manage_company_link(user, diagnostic) -> bool:
    return can_fill_diagnostic(user, diagnostic)


def can_complete_diagnostic(user, diagnostic) -> bool:
    return can_fill_diagnostic(user, diagnostic)


def can_edit_plan(user, diagnostic) -> bool:
    """The action plan is edited by the running organisation once the scores are known."""
    return _runs(user, diagnostic) and diagnostic.status != diagnostic.Status.IN_PROGRESS


def can_share_plan(user, diagnostic) -> bool:
    return can_edit_plan(user, diagnostic)


def can_compare(user, company=None) -> bool:
    """Scores are visible to every member who opens the file, so is their comparison."""
    return can_view_diagnostics_of(user, company)


# --- API keys --------------------------------------------------------------------------------


def organisation_runs(organisation, diagnostic) -> bool:
    return organisation is not None and diagnostic.organisation_id == organisation.pk


def organisation_can_fill(organisation, diagnostic) -> bool:
    return (
        organisation_runs(organisation, diagnostic)
        and diagnostic.status == diagnostic.Status.IN_PROGRESS
    )
