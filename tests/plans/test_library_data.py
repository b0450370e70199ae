"""The indicator library installed by the data migration: ARRICOD's 6 impact and 12
internationalisation indicators with the guide's ratings (seed 004, "2,5" read as 2.5), the
plans' activity indicators, suggested computations that exist; installing again changes
nothing and repairs an edited entry."""

from decimal import Decimal

import pytest

from guichet.plans import computations
from guichet.plans.library_data import ARRICOD_SOURCE, ENTRIES, install
from guichet.plans.models import LibraryEntry, LibraryFamily

pytestmark = pytest.mark.django_db


def ratings(family):
    return {e.name: (e.access, e.relevance) for e in LibraryEntry.objects.filter(family=family)}


def test_the_migration_installed_arricods_eighteen_indicators():
    arricod = LibraryEntry.objects.filter(source=ARRICOD_SOURCE)
    assert arricod.count() == 18
    assert arricod.filter(family=LibraryFamily.IMPACT).count() == 6
    assert arricod.filter(family=LibraryFamily.INTERNATIONALISATION).count() == 12
    assert ARRICOD_SOURCE == "ARRICOD, indicateurs d'impact (UA 2014)"


def test_the_seeds_ratings_are_kept():
    impact = ratings(LibraryFamily.IMPACT)
    territory = ratings(LibraryFamily.INTERNATIONALISATION)
    assert territory["mobilité des jeunes (accueil et envoi de jeunes)"] == (
        Decimal("2"),
        Decimal("5"),
    )
    assert territory["montant des transferts financiers A/R"] == (Decimal("2"), Decimal("2.5"))
    assert territory["nombre de décisions de justice relatives aux reconduites à la frontière"] == (
        Decimal("3"),
        Decimal("2.5"),
    )
    assert territory["nombre d'entreprises du territoire impliquées à l'international"] == (
        Decimal("2"),
        Decimal("5"),
    )
    assert impact[
        "pourcentage des jeunes qui au retour d'une mobilité internationale trouvent un emploi"
    ] == (Decimal("1"), Decimal("4"))
    assert impact[
        "nombre de sollicitations des acteurs du territoire pour intervenir dans des actions "
        "internationales et parler du territoire"
    ] == (Decimal("1"), Decimal("2"))
    # The seed's table, in order: every rating between 1 and 5.
    assert [
        float(e.relevance)
        for e in LibraryEntry.objects.filter(family=LibraryFamily.INTERNATIONALISATION).order_by(
            "order"
        )
    ] == [5, 2.5, 5, 5, 5, 4, 5, 4, 4, 4, 5, 2.5]
    assert [
        float(e.access)
        for e in LibraryEntry.objects.filter(family=LibraryFamily.IMPACT).order_by("order")
    ] == [1, 3, 3, 2, 3, 1]


def test_suggested_computations_match_and_exist():
    entry = LibraryEntry.objects.get(
        name="nombre d'entreprises du territoire impliquées à l'international"
    )
    assert entry.computation == "companies_accompanied"
    assert entry.unit == "entreprises"
    contracts = LibraryEntry.objects.get(name__startswith="nombre de contrats obtenus")
    assert contracts.computation == "collective_contracts"
    suggested = set(
        LibraryEntry.objects.exclude(computation="").values_list("computation", flat=True)
    )
    assert suggested >= {"companies_accompanied", "collective_contracts", "vie_missions"}
    missing = sorted(key for key in suggested if computations.get(key) is None)
    assert missing == []
    # Entries the platform cannot compute are entered by hand.
    assert (
        LibraryEntry.objects.get(name="cartographie linguistique du territoire").computation == ""
    )


def test_activity_indicators_come_from_the_plans_with_their_source():
    activity = LibraryEntry.objects.filter(family=LibraryFamily.ACTIVITY)
    assert activity.count() >= 5
    assert all("estimation de Guichet Export" in e.source for e in activity)
    jobs = activity.get(computation="jobs_financed")
    assert jobs.name == "nombre d'emplois liés à l'international financés, dont V.I.E."
    assert "PAREX 1" in jobs.source


def test_installing_again_changes_nothing_and_repairs_an_edited_entry():
    before = list(LibraryEntry.objects.order_by("pk").values())
    assert install(LibraryEntry) == (0, 0)
    assert list(LibraryEntry.objects.order_by("pk").values()) == before

    entry = LibraryEntry.objects.get(name="montant des transferts financiers A/R")
    entry.relevance = Decimal("4")
    entry.save()
    LibraryEntry.objects.create(
        family=LibraryFamily.ACTIVITY, name="indicateur propre à la région", access=3, relevance=3
    )
    assert install(LibraryEntry) == (0, 1)
    entry.refresh_from_db()
    assert entry.relevance == Decimal("2.5")
    assert LibraryEntry.objects.filter(name="indicateur propre à la région").exists()
    assert LibraryEntry.objects.count() == len(ENTRIES) + 1


def test_an_empty_table_is_filled():
    LibraryEntry.objects.all().delete()
    assert install(LibraryEntry) == (len(ENTRIES), 0)
    assert LibraryEntry.objects.count() == len(ENTRIES)
