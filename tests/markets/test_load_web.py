"""Loading market data from the web: administrators only, upload checks, the job page, its
JSON status and the rejection report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.markets.models import LoadJob, TradeDataset

BACI = b't,i,j,k,v,q\n2021,251,842,847130,1.5,"     13.235"\n2021,999,842,847130,2,"NA"\n'


@pytest.fixture
def incoming(settings, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    settings.GUICHET_MARKETS_IMPORT_DIR = folder
    return folder


def _post(client, **data):
    with_files = {"fmt": "baci", "server_path": "", **data}
    return client.post(reverse("markets:data"), with_files)


@pytest.mark.django_db
def test_others_get_403(client, advisor_a, readonly_a):
    for user in (advisor_a, readonly_a):
        client.force_login(user)
        assert client.get(reverse("markets:data")).status_code == 403
        assert _post(client, upload=SimpleUploadedFile("b.csv", BACI)).status_code == 403
    assert not LoadJob.objects.exists()


@pytest.mark.django_db
def test_empty_state_says_what_to_do(client, admin_user, incoming):
    client.force_login(admin_user)
    page = client.get(reverse("markets:data")).content.decode()
    assert "Aucune donnée chargée pour l'instant" in page
    assert "load_trade" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_runs_the_job_and_shows_its_result(client, admin_user, incoming):
    client.force_login(admin_user)
    response = _post(client, upload=SimpleUploadedFile("BACI_HS17_Y2021.csv", BACI))
    job = LoadJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("markets:job", args=[job.pk])
    assert job.status == LoadJob.Status.DONE, job.message
    assert (job.rows, job.rows_rejected) == (1, 1)
    dataset = TradeDataset.objects.get(source="baci", year=2021)
    assert job.dataset == dataset
    assert dataset.loaded_by == admin_user
    page = client.get(reverse("markets:job", args=[job.pk])).content.decode()
    assert "Chargement terminé" in page
    assert "Télécharger le rapport des lignes rejetées" in page
    status = client.get(reverse("markets:job_status", args=[job.pk])).json()
    assert status["finished"] is True
    assert status["percent"] == 100
    report = client.get(reverse("markets:job_report", args=[job.pk]))
    content = b"".join(report.streaming_content).decode()
    report.close()
    assert "code pays exportateur inconnu « 999 »" in content
    listing = client.get(reverse("markets:data")).content.decode()
    assert "CEPII BACI" in listing
    assert "2021" in listing
