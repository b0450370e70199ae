from decimal import Decimal

from django.template import Context, Template

from guichet.core.money import NBSP, euros


def test_whole_amounts_have_no_cents_and_french_separators():
    assert euros(Decimal("12683")) == f"12{NBSP}683{NBSP}€"
    assert euros(300000) == f"300{NBSP}000{NBSP}€"


def test_cents_are_shown_with_a_comma_when_there_are_some():
    assert euros(Decimal("1250.5")) == f"1{NBSP}250,50{NBSP}€"


def test_negative_and_missing_amounts():
    assert euros(Decimal("-40")) == f"−40{NBSP}€"
    assert euros(None) == "—"


def test_template_filter():
    rendered = Template("{% load guichet %}{{ x|euros }}").render(Context({"x": Decimal("4000")}))
    assert rendered == f"4{NBSP}000{NBSP}€"
