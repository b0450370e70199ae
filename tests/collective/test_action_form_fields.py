"""Amounts and rates on the action form are typed as French people write them."""

from decimal import Decimal

from django import forms

from guichet.collective.forms_actions import EurosField, PercentField


def test_amounts_are_text_boxes_that_take_spaces_and_a_comma():
    field = EurosField(label="Coût complet par entreprise (€)")
    assert isinstance(field.widget, forms.TextInput)
    assert field.widget.input_type == "text"
    assert field.widget.attrs["inputmode"] == "decimal"
    assert field.clean("9 000") == Decimal("9000")
    assert field.clean("4\u202f100,50") == Decimal("4100.50")


def test_rates_are_typed_in_percent_with_a_comma():
    field = PercentField(label="Taux de prise en charge (%)", max_digits=7, decimal_places=4)
    assert field.widget.input_type == "text"
    assert field.clean("50") == Decimal("0.5")
    assert field.clean("50,5") == Decimal("0.505")
