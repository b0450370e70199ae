"""Amounts typed on the instruction form as French people write them."""

from decimal import Decimal

import pytest

from guichet.aids.forms_instruction import InstructForm


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30 000", Decimal("30000")),
        ("30\u00a0000", Decimal("30000")),
        ("30\u202f000 €", Decimal("30000")),
        ("12 500,50", Decimal("12500.50")),
        ("30000", Decimal("30000")),
    ],
)
def test_amounts_with_thousands_spaces_and_a_decimal_comma(typed, expected):
    form = InstructForm(
        data={"eligible_costs": typed, "proposed_amount": typed, "opinion": "favourable"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["eligible_costs"] == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Le montant ne peut pas être négatif."),
        ("douze", "Saisissez un montant en euros, par exemple 12 500 ou 12 500,50."),
        ("", "Indiquez un montant."),
        ("10,123", "Deux chiffres après la virgule au plus (les centimes)."),
    ],
)
def test_bad_amounts_get_a_french_message(typed, message):
    form = InstructForm(
        data={"eligible_costs": typed, "proposed_amount": "100", "opinion": "favourable"}
    )
    assert not form.is_valid()
    assert form.errors["eligible_costs"] == [message]
