"""One normalisation for stored names and typed queries: case, accents, punctuation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.companies.text import company_display_name, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L'Été-Brûlé", "l ete brule"),
        ("SARL DUPONT & FILS", "sarl dupont fils"),
        ("Œuvre  ÆGIS", "oeuvre aegis"),
        ("  a--b  ", "a b"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@given(st.text(max_size=40))
def test_normalised_text_is_stable_lowercase_ascii_words(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert all(c.isascii() and (c.isalnum() or c == " ") and not c.isupper() for c in once)


def test_sole_trader_is_named_by_first_name_and_usage_name():
    assert (
        company_display_name(
            denomination="",
            first_name="JEANNE",
            last_name="MARTIN",
            usage_name="DURAND",
            usual_names="",
        )
        == "JEANNE DURAND"
    )
    assert (
        company_display_name(
            denomination="FROMAGERIE X", first_name="", last_name="", usage_name="", usual_names=""
        )
        == "FROMAGERIE X"
    )
