"""The timeline services: what they save, and the French messages of what they refuse."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.core.models import AuditEvent
from guichet.journeys.models import TimelineEvent
from guichet.journeys.services import timeline_event_record, timeline_note_create


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


def test_record_saves_the_event_with_the_authors_organisation(company, advisor_a, org_a):
    event = timeline_event_record(
        company=company,
        kind="need",
        title="  Demande reçue : prospecter l'Allemagne ",
        text="Via le formulaire public.",
        author=advisor_a,
        source="desk.need",
        source_id=42,
        link="/guichet/demandes/42/",
    )
    saved = TimelineEvent.objects.get(pk=event.pk)
    assert saved.company == company
    assert saved.organisation == org_a
    assert saved.title == "Demande reçue : prospecter l'Allemagne"
    assert (saved.source, saved.source_id, saved.link) == (
        "desk.need",
        "42",
        "/guichet/demandes/42/",
    )
    assert abs(saved.occurred_at - timezone.now()) < timedelta(minutes=1)
    assert saved.get_kind_display() == "Demande au guichet"
    assert AuditEvent.objects.filter(
        object_type="journeys.TimelineEvent", object_id=str(event.pk), action="create"
    ).exists()


def test_record_keeps_an_explicit_organisation_and_date(company, advisor_a, org_b):
    when = timezone.now() - timedelta(days=3)
    event = timeline_event_record(
        company=company,
        kind="event",
        title="Salon",
        author=advisor_a,
        organisation=org_b,
        occurred_at=when,
    )
    assert event.organisation == org_b
    assert event.occurred_at == when


def test_record_refuses_bad_values_in_french(company):
    with pytest.raises(ValidationError) as error:
        timeline_event_record(
            company=company,
            kind="lunch",
            title="x" * 201,
            text="y" * 4001,
            source="s" * 41,
            link="/" * 301,
            confidential=True,
        )
    messages = _messages(error)
    assert messages["kind"] == ["Le type d'échange « lunch » n'existe pas."]
    assert messages["title"] == ["Le titre fait 201 caractères ; 200 au plus sont acceptés."]
    assert messages["text"] == ["Le texte fait 4001 caractères ; 4000 au plus sont acceptés."]
    assert "41 caractères" in messages["source"][0]
    assert "301 caractères" in messages["link"][0]
    assert "organisation" in messages["confidential"][0]
    assert not TimelineEvent.objects.exists()


def test_record_requires_a_title(company):
    with pytest.raises(ValidationError) as error:
        timeline_event_record(company=company, kind="note", title="   ")
    assert _messages(error) == {"title": ["Donnez un titre à l'échange."]}


def test_note_of_an_earlier_day_is_placed_at_noon(company, advisor_a):
    day = timezone.localdate() - timedelta(days=2)
    event = timeline_note_create(
        company=company,
        author=advisor_a,
        kind="meeting",
        occurred_at=day,
        title="Rendez-vous au salon",
        text="Projet Allemagne.",
        confidential=True,
    )
    local = timezone.localtime(event.occurred_at)
    assert (local.date(), local.hour) == (day, 12)
    assert event.confidential
    assert event.organisation == advisor_a.organisation
    assert event.author == advisor_a


def test_note_refuses_kinds_owned_by_other_capabilities_and_future_dates(company, advisor_a):
    with pytest.raises(ValidationError) as error:
        timeline_note_create(
            company=company,
            author=advisor_a,
            kind="aid",
            occurred_at=timezone.localdate() + timedelta(days=1),
            title="",
            text="z" * 4001,
            confidential=False,
        )
    messages = _messages(error)
    assert messages["kind"][0].startswith("Choisissez un type d'échange parmi : appel, rendez-vous")
    assert messages["occurred_at"] == ["La date de l'échange ne peut pas être dans le futur."]
    assert messages["title"] == ["Donnez un titre à l'échange."]
    assert "4001 caractères" in messages["text"][0]
    assert not TimelineEvent.objects.exists()


def test_note_refuses_a_future_hour(company, advisor_a):
    with pytest.raises(ValidationError) as error:
        timeline_note_create(
            company=company,
            author=advisor_a,
            kind="call",
            occurred_at=timezone.now() + timedelta(hours=2),
            title="Appel",
            confidential=False,
        )
    assert list(_messages(error)) == ["occurred_at"]


@pytest.mark.parametrize(
    "link", ["https://ailleurs.example/", "//ailleurs.example/x", "javascript:x"]
)
def test_record_accepts_only_paths_of_the_platform_as_links(company, link):
    with pytest.raises(ValidationError) as error:
        timeline_event_record(company=company, kind="aid", title="Aide", link=link)
    assert _messages(error) == {
        "link": ["Le lien doit être un chemin de la plateforme, commençant par « / »."]
    }
