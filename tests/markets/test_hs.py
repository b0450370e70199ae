"""HS labels, levels, sections and the product search."""

import pytest

from guichet.markets import hs


def test_labels_at_each_level_come_from_hs_2022():
    assert hs.product_label("22") == "Beverages, spirits and vinegar"
    assert hs.product_label("2204").startswith("Wine of fresh grapes")
    assert hs.product_label("220421") == "Wine; still, in containers holding 2 litres or less"


def test_unknown_codes_take_their_parents_label_then_a_plain_code():
    # 220499 is not an HS 2022 subheading: the heading's label stands in.
    assert hs.product_label("220499") == hs.product_label("2204")
    # 7799 / 77: chapter 77 is reserved, nothing to fall back on.
    assert hs.product_label("7799") == "SH 7799"
    assert hs.product_label(" 2204 ") == hs.product_label("2204")


def test_sections_in_french():
    assert hs.section_of("220421") == ("IV", hs.SECTION_NAMES["IV"])
    assert hs.section_of("2204")[1].startswith("Produits des industries alimentaires")
    assert hs.section_of("8703") == ("XVII", "Matériel de transport")
    assert hs.section_of("01") == ("I", "Animaux vivants et produits du règne animal")
    assert hs.section_of("9701")[0] == "XXI"
    assert hs.section_of("99") == ("", "Produits non classés ailleurs")
    assert hs.section_of("7700") == ("", "Produits non classés ailleurs")
    assert len(hs.SECTION_NAMES) == 21


def test_every_hs_2022_chapter_has_a_section():
    chapters = hs.all_products("hs2")
    assert "84" in chapters
    assert len(chapters) >= 95
    for chapter in chapters:
        if chapter != "99":
            assert hs.section_of(chapter)[0], chapter


def test_levels():
    assert hs.hs_level("22") == "hs2"
    assert hs.hs_level("2204") == "hs4"
    assert hs.hs_level("220421") == "hs6"
    for bad in ("2", "22042", "22a4", "", "22042100"):
        with pytest.raises(ValueError, match="not an HS code"):
            hs.hs_level(bad)


def test_products_at_level_truncates_and_drops_coarser_codes():
    codes = ["220421", "220429", "2204", "22", "870323"]
    assert hs.products_at_level(codes, "hs4") == ["2204", "8703"]
    assert hs.products_at_level(codes, "hs2") == ["22", "87"]
    assert hs.products_at_level(codes, "hs6") == ["220421", "220429", "870323"]
    with pytest.raises(ValueError, match="unknown HS level"):
        hs.products_at_level(codes, "hs8")


def test_search_by_code_prefix():
    found = hs.search_products("2204")
    assert found == [("2204", hs.product_label("2204"))]
    chapter = [code for code, _label in hs.search_products("22", limit=50)]
    assert chapter[0] == "2201"
    assert all(code.startswith("22") for code in chapter)
    assert [c for c, _ in hs.search_products("SH 220421", level="hs6")] == ["220421"]
    # A longer code searched at a coarser level finds its heading.
    assert [c for c, _ in hs.search_products("220421")] == ["2204"]


def test_search_by_words_ignores_case_and_accents():
    found = [code for code, _label in hs.search_products("WINE grapes")]
    assert "2204" in found
    assert all("wine" in hs.product_label(c).lower() for c in found)
    # Whole words only: "wine" does not find "swine" (0203 Meat of swine).
    assert [c for c, _ in hs.search_products("Wîne of fresh")] == ["2204", "2205"]
    assert hs.search_products("zzzz-nothing") == []
    assert hs.search_products("   ") == []


def test_search_limit_and_available_products():
    assert len(hs.search_products("parts", limit=5)) == 5
    found = hs.search_products("wine", available={"2204", "220421", "0101"})
    assert [c for c, _ in found] == ["2204"]
