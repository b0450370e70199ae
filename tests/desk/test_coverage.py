"""Coverage of the région: subject × département, from the active rules, and the list of the
pairs to complete (with its exports)."""

import html
import io
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from guichet.desk.models import DeskPolicy, RoutingRule
from guichet.desk.selectors_rules import CONDITIONAL, FULL, NONE, PARTIAL, coverage_cell
from guichet.reference.models import Departement, Region

pytestmark = pytest.mark.django_db

URL = "/guichet/regles/couverture/"


class _Table(HTMLParser):
    """The first table of a page as rows of (text, class) cells."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self._cell: list[str] | None = None
        self._class = ""
        self._tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables += 1
        if self._tables != 1:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._class = [], dict(attrs).get("class") or ""

    def handle_endtag(self, tag):
        if self._tables == 1 and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._class))
            self._cell = None
        if tag == "table":
            self._tables += 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def matrix(page: str) -> dict[tuple[str, str], tuple[str, str]]:
    """{(subject label, département header): (cell text, cell class)}."""
    parser = _Table()
    parser.feed(page)
    header = [text for text, _ in parser.rows[0]]
    return {(row[0][0], header[i]): row[i] for row in parser.rows[1:] for i in range(1, len(row))}


def page_of(client, query: str = "") -> str:
    return " ".join(html.unescape(client.get(URL + query).content.decode()).split())


CUSTOMERS = "Trouver des clients à l'étranger"
FINANCE = "Financer la prospection"
COTE_DOR, DOUBS, JURA = "Côte-d'Or (21)", "Doubs (25)", "Jura (39)"


def test_covered_and_uncovered_cells(client_for, admin_user, desk):
    cells = matrix(page_of(client_for(admin_user)))

    text, css = cells[(CUSTOMERS, COTE_DOR)]
    assert text.startswith("Couvert")
    assert "CCI Test" in text
    assert "Région Test" not in text  # rank 2 is not shown
    assert css == ""
    text, css = cells[(CUSTOMERS, DOUBS)]
    assert text.startswith("Non couvert")
    assert "Créer une règle" in text
    assert css == "fr-background-contrast--error"
    assert cells[(FINANCE, DOUBS)][0].startswith("Couvert Bpifrance Test")  # no territory
    assert len({dep for _, dep in cells}) == 8  # the départements of Bourgogne-Franche-Comté


def test_uncovered_pair_is_listed_with_a_prefilled_link(client_for, admin_user, desk):
    page = page_of(client_for(admin_user))

    gaps = page[page.index("Paires sujet × département à compléter") :]
    assert f"{CUSTOMERS}</td>" in gaps
    assert "Doubs (25)" in gaps
    assert "/guichet/regles/nouvelle/?sujet=clients-etranger&departement=25" in gaps
    assert "sujet=clients-etranger&departement=21" not in gaps
    assert "sujet=financer-prospection" not in gaps
    # 10 subjects × 8 départements, minus "financer" (8, no territory) and customers in 21.
    assert "71 paires non couvertes sur 71 paires à compléter" in page


def test_partial_and_conditional_cells(client_for, admin_user, desk, subjects, org_a):
    communes = RoutingRule.objects.create(
        subject=subjects["clients-etranger"], organisation=org_a, communes=["25056"]
    )
    naf = RoutingRule.objects.create(subject=subjects["clients-etranger"], organisation=org_a)
    naf.departements.add("39")
    naf.naf_codes.add("10")

    page = page_of(client_for(admin_user))
    cells = matrix(page)

    text, css = cells[(CUSTOMERS, DOUBS)]
    assert text.startswith("Partiel Région Test (partiel)")
    assert css == "fr-background-contrast--warning"
    text, css = cells[(CUSTOMERS, JURA)]
    assert text.startswith("Sous conditions Région Test (sous conditions)")
    assert css == "fr-background-contrast--warning"
    assert "Sous conditions</span> les règles qui couvrent le département" in page  # legend
    assert communes.pk != naf.pk


def test_regional_rule_covers_every_departement(client_for, admin_user, desk, subjects, org_a):
    rule = RoutingRule.objects.create(subject=subjects["recruter-vie"], organisation=org_a)
    rule.regions.add("27")

    cells = matrix(page_of(client_for(admin_user)))

    label = subjects["recruter-vie"].label
    assert all(
        text.startswith("Couvert Région Test") for (s, _), (text, _) in cells.items() if s == label
    )


def test_inactive_rules_and_organisations_do_not_cover(client_for, admin_user, desk, bpi):
    desk["first"].is_active = False
    desk["first"].save()
    bpi.is_active = False
    bpi.save()

    cells = matrix(page_of(client_for(admin_user)))

    text = cells[(CUSTOMERS, COTE_DOR)][0]
    assert "Couvert" in text
    assert "Région Test" in text
    assert "rang 2" in text
    assert cells[(FINANCE, COTE_DOR)][0].startswith("Non couvert")


def test_other_region_by_parameter(client_for, admin_user, desk):
    page = page_of(client_for(admin_user), "?region=84")

    cells = matrix(page)
    assert (CUSTOMERS, "Rhône (69)") in cells
    assert cells[(CUSTOMERS, "Rhône (69)")][0].startswith("Non couvert")
    assert (CUSTOMERS, COTE_DOR) not in cells
    assert "Sujets × départements — Auvergne-Rhône-Alpes" in page


def test_unknown_region_falls_back_to_the_platform_region(client_for, admin_user, desk):
    page = page_of(client_for(admin_user), "?region=XX")

    assert "Cette région est inconnue" in page
    assert "Sujets × départements — Bourgogne-Franche-Comté" in page


def test_fallback_organisation_is_stated(client_for, admin_user, desk):
    client = client_for(admin_user)
    with_fallback = page_of(client)
    policy = DeskPolicy.current()
    policy.fallback_organisation = None
    policy.save()
    without = page_of(client)

    assert "Organisation de secours : <strong>Team France Export Test</strong>" in with_fallback
    assert "Aucune organisation de secours n'est définie" in without


def test_export_lists_the_pairs_to_complete(client_for, admin_user, desk, subjects, org_a):
    RoutingRule.objects.create(
        subject=subjects["clients-etranger"], organisation=org_a, communes=["25056"]
    )
    client = client_for(admin_user)

    lines = client.get(URL + "?format=csv").content.decode("utf-8-sig").splitlines()
    book = load_workbook(io.BytesIO(client.get(URL + "?region=27&format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))

    assert lines[0] == "Sujet;Code département;Département;Couverture"
    assert f"{CUSTOMERS};39;Jura;Non couvert" in lines
    assert f"{CUSTOMERS};25;Doubs;Partiel" in lines
    assert not any(line.startswith(f"{CUSTOMERS};21;") for line in lines)
    assert not any(line.startswith(f"{FINANCE};") for line in lines)
    assert rows[0] == ("Sujet", "Code département", "Département", "Couverture")
    assert len(rows) == len(lines)


# --- The cell rule itself ----------------------------------------------------------------------


@pytest.fixture
def doubs(reference):
    return Departement.objects.get(code="25")


def test_cell_states(desk, subjects, org_a, doubs):
    subject = subjects["salon-mission"]

    def state(**fields):
        naf = fields.pop("naf", None)
        departements = fields.pop("departements", ())
        regions = fields.pop("regions", ())
        rule = RoutingRule.objects.create(subject=subject, organisation=org_a, **fields)
        rule.departements.set(departements)
        rule.regions.set(regions)
        if naf:
            rule.naf_codes.set(naf)
        cell = coverage_cell(subject, doubs, [rule])
        rule.delete()
        return cell.state

    assert state() == FULL
    assert state(departements=["25"]) == FULL
    assert state(regions=[Region.objects.get(code="27")]) == FULL
    assert state(departements=["21"]) == NONE
    assert state(regions=["84"]) == NONE
    assert state(communes=["25056"]) == PARTIAL
    assert state(communes=["21231"]) == NONE
    assert state(departements=["25"], naf=["10"]) == CONDITIONAL
    assert state(min_employees=10) == CONDITIONAL
    assert state(max_age_years=5) == CONDITIONAL
    assert state(export_statuses=["new"]) == CONDITIONAL


def test_cell_takes_the_strongest_state_and_the_best_rank(desk, subjects, org_a, org_b, doubs):
    subject = subjects["salon-mission"]
    partial = RoutingRule.objects.create(
        subject=subject, organisation=org_a, priority=1, communes=["25056"]
    )
    full = RoutingRule.objects.create(subject=subject, organisation=org_b, priority=2)

    cell = coverage_cell(subject, doubs, [partial, full])

    assert cell.state == FULL
    assert cell.rank == 1
    assert [r.rule for r in cell.first] == [partial]


def test_queries_do_not_grow_with_rules(client_for, admin_user, desk, subjects, org_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    before = count()
    for code in ("salon-mission", "autre", "recruter-vie"):
        rule = RoutingRule.objects.create(subject=subjects[code], organisation=org_a)
        rule.departements.add("21", "25")
        rule.naf_codes.add("10")

    assert count() == before
