"""Loading market data from the web: administrators only, upload checks, the job page, its
JSON status and the rejection report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.markets import storage
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


@pytest.mark.django_db
def test_upload_too_large_is_refused_in_french(client, admin_user, incoming, settings):
    settings.GUICHET_MARKETS_UPLOAD_MAX_MB = 1
    client.force_login(admin_user)
    big = SimpleUploadedFile("big.csv", BACI + b"2021,251,842,847130,1,1\n" * 50_000)
    page = _post(client, upload=big).content.decode()
    assert "dépasse 1 Mo" in page
    assert not LoadJob.objects.exists()
    assert not list(storage.uploads_dir().iterdir())


@pytest.mark.django_db
def test_wrong_type_is_refused(client, admin_user, incoming):
    client.force_login(admin_user)
    page = _post(client, upload=SimpleUploadedFile("doc.pdf", b"%PDF-1.4")).content.decode()
    assert "ni un .csv, ni un .csv.gz, ni un .zip" in page
    fake = SimpleUploadedFile("fake.csv", b"%PDF-1.4\x00\x01binary")
    page = _post(client, upload=fake).content.decode()
    assert "n&#x27;est pas un fichier CSV" in page
    assert not LoadJob.objects.exists()
    assert not list(storage.uploads_dir().iterdir())


@pytest.mark.django_db
def test_server_path_must_stay_in_the_import_folder(client, admin_user, incoming, tmp_path):
    client.force_login(admin_user)
    outside = tmp_path / "outside.csv"
    outside.write_bytes(BACI)
    page = _post(client, server_path="../outside.csv").content.decode()
    assert "en dehors du dossier des imports" in page
    page = _post(client, server_path="absent.csv").content.decode()
    assert "introuvable" in page
    page = _post(client).content.decode()
    assert "Déposez le fichier ou indiquez son chemin" in page
    assert not LoadJob.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_server_path_zip_is_loaded_and_kept(client, admin_user, incoming):
    import zipfile

    archive = incoming / "baci.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("BACI_HS92_Y2021_V202301.csv", BACI)
    client.force_login(admin_user)
    _post(client, server_path="baci.zip")
    job = LoadJob.objects.get()
    assert job.status == LoadJob.Status.DONE, job.message
    assert not job.uploaded
    assert archive.exists()
    assert not list(storage.uploads_dir().glob("unzipped-*"))  # the extracted CSV is removed
    assert TradeDataset.objects.get().nomenclature == "HS92"


@pytest.mark.django_db
def test_job_pages_are_for_administrators(client, admin_user, advisor_a, incoming):
    job = LoadJob.objects.create(
        kind="trade",
        source="baci",
        input_path="x.csv",
        status="running",
        progress=40,
        message="Lecture et contrôle des lignes",
        report_path="reports/job-1.csv",
    )
    storage.report_path("job-1").write_text("ligne,motif,contenu\n", encoding="utf-8")
    client.force_login(advisor_a)
    for name in ("markets:job", "markets:job_status", "markets:job_report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403
    client.force_login(admin_user)
    page = client.get(reverse("markets:job", args=[job.pk])).content.decode()
    assert 'value="40"' in page
    assert "Lecture et contrôle des lignes" in page
    assert "rechargez-la pour voir l'avancement" in page
    assert "/static/core/progress.js" in page
    assert "<script>" not in page
    status = client.get(reverse("markets:job_status", args=[job.pk])).json()
    assert status == {
        "status": "running",
        "status_label": "En cours",
        "percent": 40,
        "message": "Lecture et contrôle des lignes",
        "rows": 0,
        "rows_rejected": 0,
        "finished": False,
    }
    report = client.get(reverse("markets:job_report", args=[job.pk]))
    assert report.status_code == 200
    report.close()


@pytest.mark.django_db
def test_datasets_export(client, admin_user, make_trade):
    make_trade([("FRA", "USA", "847130", 10.0)], year=2022, demo=True)
    client.force_login(admin_user)
    page = client.get(reverse("markets:data")).content.decode()
    assert "Démonstration" in page
    response = client.get(reverse("markets:data"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "Nature" in text.splitlines()[0]
    assert "CEPII BACI" in text
    assert "2022" in text
