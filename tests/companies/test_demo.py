"""The demo registry: eight filières, sixty fictitious companies with profiles and contacts."""

from io import StringIO

import pytest
from django.core.management import call_command

from guichet.companies.filieres import companies_in_filiere
from guichet.companies.models import Company, Contact, Establishment, ExportFact, Filiere

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_registry_once(monkeypatch):
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", "demo-password-long-enough")
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Company.objects.count(), Contact.objects.count(), ExportFact.objects.count())
    call_command("load_demo", stdout=StringIO())

    assert "Entreprises de démonstration créées : 60" in out.getvalue()
    assert (Company.objects.count(), Contact.objects.count(), ExportFact.objects.count()) == counts
    assert Filiere.objects.count() == 8
    assert not Establishment.objects.exclude(region_id="27").exists()
    assert Company.objects.filter(export_status="regular").exists()
    assert Company.objects.filter(is_active=False).exists()
    every_filiere_has_companies = all(
        companies_in_filiere(Company.objects.all(), f).exists() for f in Filiere.objects.all()
    )
    assert every_filiere_has_companies
