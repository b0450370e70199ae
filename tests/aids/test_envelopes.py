"""Envelopes: the page (chart, table, exports, who sees what), the reconciliation, and a
property test: whatever sequence of decisions, agreements, payments and withdrawals is tried
(many refused), commitments and payments always add up and a refusal changes nothing."""

import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from guichet.aids import letters
from guichet.aids.models import Application, ApplicationEvent, Payment
from guichet.aids.selectors import envelope_position
from guichet.aids.selectors_payments import envelope_reconciliation
from guichet.aids.services.committee import application_decide
from guichet.aids.services.instruction import application_withdraw
from guichet.aids.services.payments import application_agreement_sign, payment_record
from guichet.aids.services.states import GRANTED
from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.services import state_aid_grant_record
from tests.aids.conftest import make_scheme
from tests.aids.money_factories import DECIDED, SIGNED, YEAR, envelope, granted, pdf_upload
from tests.aids.money_factories import proposed as make_proposed
from tests.companies.conftest import make_company
from tests.conftest import make_user


def _text(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def figures(scheme, company, org_a, instructor_a):
    """2025: V.I.E. envelope 100,000 € with two grants (12,683 € and 8,000 €), one advance;
    a second scheme with an untouched envelope of 50,000 €."""
    envelope(scheme, amount="100000")
    first = granted(scheme, company, org_a, instructor_a)
    payment_record(
        application=first, kind="advance", amount="6000", paid_on=date(2025, 4, 15), by=None
    )
    granted(
        scheme, make_company("732829320", "Tissages de Lyon"), org_a, instructor_a, amount="8000"
    )
    other = make_scheme(org_a, slug="prospection", name="Programme de prospection")
    envelope(other, amount="50000")
    return scheme


def test_envelopes_page_table_and_chart(client_for, readonly_a, figures):
    response = client_for(readonly_a).get(reverse("aids:envelopes") + "?annee=2025")
    html = response.content.decode()
    text = _text(html)
    assert "Programme de prospection 2025 50 000 € 0 € 0 € 50 000 € 0" in text
    assert "Soutien au V.I.E. 2025 100 000 € 20 683 € 6 000 € 79 317 € 2" in text
    assert "Total 150 000 € 20 683 € 6 000 € 129 317 € 2" in text
    assert "<svg" in html
    assert "Soutien au V.I.E. — Engagé : 20 683 €" in text
    assert "Voir les données de ce graphique sous forme de tableau" in text


def test_envelopes_exports(client_for, readonly_a, figures):
    client = client_for(readonly_a)
    response = client.get(reverse("aids:envelopes") + "?annee=2025&format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Dispositif;Année;Enveloppe (€);Engagé (€);Versé (€);Reste à engager (€);Dossiers accordés"
    )
    assert "Soutien au V.I.E.;2025;100000.00;20683.00;6000.00;79317.00;2" in lines
    response = client.get(reverse("aids:envelopes") + "?annee=2025&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Soutien au V.I.E.", 2025, 100000, 20683, 6000, 79317, 2] in rows


def test_envelopes_of_every_year(client_for, readonly_a, figures):
    text = _text(
        client_for(readonly_a).get(reverse("aids:envelopes") + "?annee=toutes").content.decode()
    )
    # The fixture's scheme also has the current year's envelope (500,000 €).
    assert "Soutien au V.I.E. 2026 500 000 € 0 € 0 € 500 000 € 0" in text
    assert "Soutien au V.I.E. 2025 100 000 €" in text


def test_who_sees_the_envelopes(client_for, advisor_a, admin_user, org_b, figures):
    assert client_for(advisor_a).get(reverse("aids:envelopes")).status_code == 403
    assert client_for(None).get(reverse("aids:envelopes")).status_code == 302
    manager_b = make_user("marc.pilote@cci.example", org_b, ["manager"])
    text = _text(client_for(manager_b).get(reverse("aids:envelopes")).content.decode())
    assert "Aucune enveloppe" in text
    assert "Soutien au V.I.E." not in text
    text = _text(
        client_for(admin_user).get(reverse("aids:envelopes") + "?annee=2025").content.decode()
    )
    assert "Soutien au V.I.E. 2025 100 000 €" in text


def test_envelopes_page_queries_do_not_grow_with_schemes(client_for, readonly_a, figures, org_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(readonly_a)
    url = reverse("aids:envelopes") + "?annee=2025"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        envelope(make_scheme(org_a, slug=f"autre-{index}", name=f"Autre {index}"), amount="1000")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Autre 4 2025 1 000 €" in _text(response.content.decode())
    assert len(many) == len(few)


def test_reconciliation_of_the_figures(figures):
    check = envelope_reconciliation(figures, YEAR)
    assert check.ok, check.problems
    assert (check.position.committed, check.position.paid, check.files) == (
        Decimal("20683.00"),
        Decimal("6000.00"),
        2,
    )
    assert (check.granted_sum, check.payments_sum) == (Decimal("20683.00"), Decimal("6000.00"))


def test_reconciliation_reports_a_file_paid_above_its_grant(figures):
    application = Application.objects.filter(scheme=figures, granted_amount=8000).get()
    # Written behind the services' back, as a corrupted import would.
    Payment.objects.create(
        application=application, kind="instalment", amount=Decimal("9000"), paid_on=SIGNED
    )
    check = envelope_reconciliation(figures, YEAR)
    assert check.problems == [
        f"Le dossier {application.reference} a reçu 9\u202f000\u202f€ pour "
        "8\u202f000\u202f€ accordés."
    ]


# --- property: the accounts always add up ------------------------------------------------------

FILES = 3
GRANTS = [Decimal(v) for v in ("12000", "9000", "6000", "3000.50", "1500")]
PAYMENTS = [Decimal(v) for v in ("1500", "3000", "2000.50", "4500", "6000")]


def _amount(rng, usual: list[Decimal]) -> Decimal | None:
    """Mostly a plausible amount, sometimes anything (negative, zero, too much, missing)."""
    draw = rng.random()
    if draw < 0.75:
        return rng.choice(usual)
    if draw < 0.8:
        return None
    return Decimal(rng.randint(-10000, 1600000)) / 100


def _random_steps(rng) -> list[tuple[int, tuple]]:
    """The life of each file (decision, maybe a withdrawal, agreement, payments tried), the
    files' steps interleaved at random. Probabilities keep most files going far."""
    queues = []
    for _ in range(FILES):
        steps = [("decide", rng.random() < 0.8, _amount(rng, GRANTS))]
        steps += [("withdraw",)] if rng.random() < 0.15 else []
        steps += [("sign",)] if rng.random() < 0.85 else []
        for _ in range(rng.randint(0, 4)):
            nature = rng.choice(["advance", "instalment", "instalment", "balance"])
            justified = rng.choice([Decimal("24000"), Decimal("8000"), Decimal("30000.10")])
            steps.append(("pay", nature, _amount(rng, PAYMENTS), justified))
        queues.append(steps)
    sequence = []
    while any(queues):
        index = rng.choice([i for i, queue in enumerate(queues) if queue])
        sequence.append((index, queues[index].pop(0)))
    return sequence


def _snapshot():
    return (
        list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "granted_amount", "decided_on", "agreement_signed_on", "session"
            )
        ),
        list(Payment.objects.order_by("pk").values_list("pk", "application", "amount")),
        list(StateAidGrant.objects.order_by("pk").values_list("pk", "amount", "cancelled_at")),
        ApplicationEvent.objects.count(),
    )


def _run(application, step, by):
    if step[0] == "decide":
        _, approve, amount = step
        application_decide(
            application=application,
            decision="approved" if approve else "rejected",
            amount=amount,
            reason="" if approve else "Projet non retenu.",
            decided_on=DECIDED,
            by=by,
        )
    elif step[0] == "sign":
        application_agreement_sign(application=application, signed_on=SIGNED, by=by)
    elif step[0] == "pay":
        _, nature, amount, justified = step
        payment_record(
            application=application,
            kind=nature,
            amount=amount,
            paid_on=date(2025, 5, 2),
            proof=pdf_upload() if nature == "balance" else None,
            justified_expenses=justified if nature == "balance" else None,
            by=by,
        )
    else:
        application_withdraw(application=application, reason="L'entreprise renonce.", by=by)


def _check_accounts(scheme, budget: Decimal):
    position = envelope_position(scheme, YEAR)
    files = Application.objects.filter(scheme=scheme, status__in=GRANTED, decided_on__year=YEAR)
    committed = files.aggregate(total=Sum("granted_amount"))["total"] or Decimal("0")
    paid = Payment.objects.filter(application__in=files).aggregate(total=Sum("amount"))["total"]
    assert position.committed == committed
    assert position.paid == (paid or Decimal("0"))
    assert position.remaining == budget - committed
    assert committed <= budget
    for application in Application.objects.filter(scheme=scheme):
        total = application.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        assert total <= (application.granted_amount or Decimal("0"))
        live = StateAidGrant.objects.filter(
            source_ref=f"aids.application:{application.pk}", cancelled_at__isnull=True
        )
        expected = [application.granted_amount] if application.status in GRANTED else []
        assert list(live.values_list("amount", flat=True)) == expected
    check = envelope_reconciliation(scheme, YEAR)
    assert check.ok, check.problems


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rng=st.randoms(use_true_random=False))
def test_commitments_and_payments_always_add_up(
    scheme, org_a, instructor_a, monkeypatch, money_companies, rng
):
    # Letters are not part of the accounts; WeasyPrint would make each example slow.
    monkeypatch.setattr(letters, "decision_letter_store", lambda **kwargs: None)
    monkeypatch.setattr(letters, "decision_letter_send_on_commit", lambda **kwargs: None)
    budget = rng.choice([Decimal("40000"), Decimal("25000"), Decimal("12000")])
    if rng.random() < 0.25:
        budget = Decimal(rng.randint(0, 4000000)) / 100
    steps = _random_steps(rng)
    with transaction.atomic():
        envelope(scheme, amount=str(budget))
        files = [
            make_proposed(scheme, company, org_a, amount="12000", eligible="12000")
            for company in money_companies
        ]
        for index, step in steps:
            before = _snapshot()
            try:
                _run(files[index], step, instructor_a)
            except ValidationError:
                assert _snapshot() == before, (budget, steps, step)
            _check_accounts(scheme, budget)
        transaction.set_rollback(True)


@pytest.fixture
def money_companies(reference):
    """Three companies; the first is 290,000 € into its de minimis ceiling (approvals above
    10,000 € are refused for it)."""
    companies = [
        make_company("552100554", "Fromagerie de Bourgogne"),
        make_company("732829320", "Tissages de Lyon"),
        make_company("409876543", "Lunetterie du Jura"),
    ]
    state_aid_grant_record(
        company=companies[0],
        granted_on=date(2024, 5, 1),
        amount=Decimal("290000"),
        regulation="de_minimis",
        granting_body="Département du Jura",
        source="declared",
        description="Aide à l'investissement",
    )
    return companies


def test_read_only_members_reach_the_envelopes_from_the_menu(client_for, readonly_a, advisor_a):
    envelopes_link = f'href="{reverse("aids:envelopes")}"'
    assert envelopes_link in client_for(readonly_a).get(reverse("core:home")).content.decode()
    assert envelopes_link not in client_for(advisor_a).get(reverse("core:home")).content.decode()
