"""Personal data of the desk is erased 3 years after the last exchange; open needs are kept."""

from io import StringIO

from django.core.management import call_command

from guichet.core.models import AuditEvent
from guichet.desk.models import Need
from guichet.desk.services import match_answer
from guichet.desk.status import NeedStatus, need_status
from tests.desk.conftest import at, submit


def test_closed_needs_older_than_three_years_are_anonymised_open_ones_kept(desk, advisor_b):
    old = submit(when="2021-03-01", contact_email="old@example.fr").need
    match_answer(match=old.matches.get(), user=advisor_b, status="done", at=at("2021-03-05"))
    still_open = submit(when="2021-03-02", contact_email="open@example.fr").need
    recent = submit(when="2025-06-02", contact_email="recent@example.fr").need
    match_answer(match=recent.matches.get(), user=advisor_b, status="done", at=at("2025-06-05"))

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Simulation : 1 demande(s) au guichet à anonymiser" in out.getvalue()
    assert Need.objects.get(pk=old.pk).contact_email == "old@example.fr"

    call_command("purge_personal_data", "--wet-run", stdout=out)
    assert "1 demande(s) au guichet anonymisée(s)." in out.getvalue()
    old = Need.objects.get(pk=old.pk)
    assert (old.contact_email, old.contact_last_name, old.description) == ("", "", "")
    assert not old.events.exclude(text="").exists()
    assert need_status(old) == NeedStatus.CLOSED_HELP  # still counted in the figures
    assert Need.objects.get(pk=still_open.pk).contact_email == "open@example.fr"
    assert Need.objects.get(pk=recent.pk).contact_email == "recent@example.fr"
    assert AuditEvent.objects.filter(
        action="update", object_type="desk.Need", object_id=str(old.pk)
    ).exists()
