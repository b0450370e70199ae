"""Property tests of the ledger over random ledgers: the totals the selectors compute equal a
brute-force sum using the window's definition; ceilings apply to a single undertaking as a
whole; an aid beyond the headroom is refused with the figures and writes nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from guichet.core.money import euros
from guichet.stateaid import rules, selectors, services
from guichet.stateaid.models import GrantSource, Regulation, StateAidGrant
from tests.stateaid.conftest import add_line
from tests.stateaid.properties import (
    DB_SETTINGS,
    amounts,
    brute_headroom,
    brute_totals,
    de_minimis,
    ledger_lines,
    positions_dates,
    rolled_back,
)

pytestmark = pytest.mark.django_db

CANCELLED_AT = datetime(2020, 1, 1, 12, tzinfo=UTC)


def _write(company, lines):
    for granted_on, amount, regulation, cancelled in lines:
        add_line(
            company,
            granted_on,
            amount,
            regulation=regulation,
            cancelled_at=CANCELLED_AT if cancelled else None,
            cancelled_reason="Saisie en double" if cancelled else "",
        )


# --- (b) totals -----------------------------------------------------------------------------


@DB_SETTINGS
@given(data=st.data(), at=positions_dates)
def test_totals_at_equals_the_brute_force_sum(company, data, at):
    lines = data.draw(ledger_lines(at))
    with rolled_back():
        _write(company, lines)
        expected = brute_totals(lines, at)
        assert selectors.totals_at(company, at=at) == expected
        for position in selectors.positions_at(company, at=at):
            reference = brute_headroom(expected, position.regulation)
            if reference is None:
                assert position.headroom is None
                assert position.ceiling is None
            else:
                assert (position.headroom, position.ceiling) == reference
                assert position.headroom >= 0


# --- (c) single undertakings ----------------------------------------------------------------


def _sum(*totals):
    return {code: sum((t[code] for t in totals), Decimal("0")) for code in Regulation.values}


@DB_SETTINGS
@given(data=st.data(), at=positions_dates, grouped=st.sampled_from(["ab", "abc", "ac", "bc"]))
def test_a_group_counts_its_members_aids_together(company, sister, third, data, at, grouped):
    companies = {"a": company, "b": sister, "c": third}
    ledgers = {key: data.draw(ledger_lines(at, max_size=5), label=key) for key in companies}
    with rolled_back():
        for key, lines in ledgers.items():
            _write(companies[key], lines)
        own = {key: brute_totals(lines, at) for key, lines in ledgers.items()}
        group = services.undertaking_group_create(name="Groupe", reason="Contrôle à 100 %")
        for key in grouped:
            services.undertaking_link(
                group=group, company=companies[key], reason="Filiale détenue à 100 %"
            )
        combined = _sum(*(own[key] for key in grouped))

        # The group's totals are the sum of its members' own totals…
        assert selectors.group_totals_at(group, at=at) == combined
        for key in grouped:
            assert selectors.own_totals_at(companies[key], at=at) == own[key]
            # …and every member sees the same totals and headroom.
            assert selectors.totals_at(companies[key], at=at) == combined
            assert selectors.positions_at(companies[key], at=at) == rules.positions(combined)
        for key in set(companies) - set(grouped):
            assert selectors.totals_at(companies[key], at=at) == own[key]

        # Unlinking a member restores its own totals, and the group keeps the others'.
        leaving = grouped[0]
        services.undertaking_unlink(company=companies[leaving], reason="Participation cédée")
        assert selectors.totals_at(companies[leaving], at=at) == own[leaving]
        staying = grouped[1:]
        assert selectors.group_totals_at(group, at=at) == _sum(*(own[key] for key in staying))
        for key in staying:
            assert selectors.totals_at(companies[key], at=at) == _sum(*(own[k] for k in staying))


# --- (d) the ceiling refuses what exceeds it --------------------------------------------------


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@DB_SETTINGS
@given(data=st.data(), at=positions_dates, amount=amounts, regulation=de_minimis)
@example(data=None, at=date(2026, 3, 14), amount=Decimal("0.01"), regulation="de_minimis")
def test_an_aid_beyond_the_headroom_is_refused_and_writes_nothing(
    company, data, at, amount, regulation
):
    if data is None:  # the explicit example: 300,000 € granted on 15 March 2023
        lines = [(date(2023, 3, 15), Decimal("300000"), "de_minimis", False)]
    else:
        lines = data.draw(ledger_lines(at, regulation=de_minimis, before_only=True))
    with rolled_back():
        _write(company, lines)
        left, ceiling = brute_headroom(brute_totals(lines, at), regulation)
        before = StateAidGrant.objects.count()
        record = {
            "company": company,
            "granted_on": at,
            "amount": amount,
            "regulation": regulation,
            "granting_body": "Région Test",
            "source": GrantSource.PLATFORM_AID,
            "description": "Aide au salon",
        }
        if amount > left:
            with pytest.raises(ValidationError) as refused:
                services.state_aid_grant_record(**record)
            message = _plain(refused.value.message_dict["amount"][0])
            assert message.startswith("Plafond dépassé")
            for figure in (amount, ceiling, left):
                assert _plain(euros(figure)) in message
            assert StateAidGrant.objects.count() == before
        else:
            grant = services.state_aid_grant_record(**record)
            assert StateAidGrant.objects.count() == before + 1
            assert grant.amount == amount


def test_an_aid_counting_on_14_march_2026_but_not_on_15(company):
    add_line(company, date(2023, 3, 15), "300000")
    record = {
        "company": company,
        "amount": Decimal("1000"),
        "regulation": Regulation.DE_MINIMIS,
        "granting_body": "Région Test",
        "source": GrantSource.PLATFORM_AID,
        "description": "Prestation de conseil",
    }
    with pytest.raises(ValidationError) as refused:
        services.state_aid_grant_record(granted_on=date(2026, 3, 14), **record)
    assert "14/03/2026" in refused.value.message_dict["amount"][0]
    grant = services.state_aid_grant_record(granted_on=date(2026, 3, 15), **record)
    assert grant.pk
    assert StateAidGrant.objects.count() == 2
