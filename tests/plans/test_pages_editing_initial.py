"""The editing forms open on what is saved: the plan, an axis, a measure and an indicator."""

from decimal import Decimal

from tests.plans.conftest import make_indicator


def _field(html: str, name: str) -> str:
    """The markup of the form field `name` (its input, textarea or select)."""
    start = html.rfind("<", 0, html.index(f'name="{name}"'))
    tag = html[start + 1 : html.find(" ", start)]
    end = html.find(">", start) + 1 if tag == "input" else html.find(f"</{tag}>", start)
    return html[start:end]


def test_the_edit_forms_show_the_saved_values(client_for, manager_a, plan, axis, measure, org_b):
    measure.lead = org_b
    measure.description = "Repérer les entreprises filière par filière."
    measure.save()
    make_indicator(
        measure,
        "1.1",
        name="Entreprises sensibilisées",
        owner=org_b,
        baseline=Decimal("344.50"),
        baseline_year=2021,
        breakdowns=[],
    )
    client = client_for(manager_a)

    page = client.get("/plans/parex-2/modifier/").content.decode()
    assert 'value="PAREX 2"' in _field(page, "name")
    assert 'value="2022"' in _field(page, "first_year")
    assert f'value="{plan.owner_id}" selected' in page

    page = client.get("/plans/parex-2/axes/1/modifier/").content.decode()
    assert 'value="Communication, formation, information"' in _field(page, "title")

    page = client.get("/plans/parex-2/mesures/1/modifier/").content.decode()
    assert 'value="Pré-détection d&#x27;entreprises"' in _field(page, "title")
    assert "Repérer les entreprises filière par filière." in _field(page, "description")
    assert f'<option value="{org_b.pk}" selected>' in _field(page, "lead")
    assert f'<option value="{axis.pk}" selected>' in _field(page, "axis")

    page = client.get("/plans/parex-2/indicateurs/1.1/modifier/").content.decode()
    assert 'value="Entreprises sensibilisées"' in _field(page, "name")
    assert 'value="344,5"' in _field(page, "baseline") or 'value="344.5"' in _field(
        page, "baseline"
    )
    assert f'<option value="{org_b.pk}" selected>' in _field(page, "owner")
    assert f'<option value="{measure.pk}" selected>' in _field(page, "measure")
