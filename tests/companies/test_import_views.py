"""SIRENE imports from the web: administrators upload or point at the files, the import runs
in the background, the page shows its progress and then its report."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.companies.models import Company, ImportRun
from guichet.companies.sirene.runs import import_run_execute
from tests.companies.fixtures.sirene import (
    ESTABLISHMENTS_FILE,
    UNITS_FILE,
    establishment,
    siren,
    siret,
    unit,
    write_stock,
)

pytestmark = pytest.mark.usefixtures("reference")

LIST, NEW = "/entreprises/imports/", "/entreprises/imports/nouveau/"
A, B = siren(70000001), siren(70000002)


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.fixture
def import_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "imports"
    folder.mkdir()
    settings.GUICHET_IMPORT_DIR = folder
    return folder


@pytest.fixture
def stock(import_dir) -> tuple[Path, Path]:
    source = import_dir / "stock"
    source.mkdir()
    return write_stock(
        source,
        [unit(A, denominationUniteLegale="FROMAGERIE DU CENTRE"), unit(B)],
        [establishment(siret(A)), establishment(siret(B), dateCreationEtablissement="hier")],
    )


def upload(path: Path, name: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def post_import(client, django_capture_on_commit_callbacks, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(NEW, data)


@pytest.mark.parametrize("who", ["advisor_a", "readonly_a", "manager_a"])
def test_only_administrators_run_imports(request, client_for, who, stock):
    client = client_for(request.getfixturevalue(who))
    run = ImportRun.objects.create(unites_legales_path="a", etablissements_path="b")
    for url in (LIST, NEW, f"{LIST}{run.pk}/", f"{LIST}{run.pk}/etat.json"):
        assert client.get(url).status_code == 403
    response = client.post(NEW, {"unites_legales_path": "stock/" + UNITS_FILE})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, stock):
    assert client.get(LIST)["Location"].startswith("/compte/connexion/")


def test_empty_list_explains_what_to_do(client_for, admin_user, import_dir):
    page = text_of(client_for(admin_user).get(LIST))
    assert "Aucun import pour l'instant" in page
    assert "StockUniteLegale_utf8.zip" in page
    assert f'href="{NEW}"' in page
    assert "Nouvel import" in page


def test_the_form_offers_upload_or_path_and_the_platform_region(client_for, admin_user, import_dir):
    page = text_of(client_for(admin_user).get(NEW))
    assert 'enctype="multipart/form-data"' in page
    assert "Fichier des unités légales" in page
    assert f"Chemin relatif au dossier des imports {import_dir}" in page
    assert re.search(r'value="27"[^>]*checked', page)  # Bourgogne-Franche-Comté preselected
    assert "Écrire en base" in page


def test_an_administrator_uploads_the_files_and_reads_the_report(
    client_for, admin_user, stock, import_dir, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    response = post_import(
        client,
        django_capture_on_commit_callbacks,
        {
            "unites_legales_file": upload(stock[0]),
            "etablissements_file": upload(stock[1]),
            "regions": ["27"],
            "wet_run": "on",
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{run.pk}/"
    assert run.status == ImportRun.Status.DONE
    assert run.started_by == admin_user
    stored = Path(run.unites_legales_path)
    assert stored.parent.parent == import_dir / "uploads"
    assert stored.name == UNITS_FILE
    assert Company.objects.get(siren=A).name == "FROMAGERIE DU CENTRE"

    page = text_of(client.get(response["Location"]))
    assert "L'import est lancé" in page
    assert "Terminé" in page
    assert "Écriture en base" in page or "écriture en base" in page
    assert '<th scope="row">Créées</th> <td>2</td> <td>1</td>' in page
    assert "Lignes rejetées (1)" in page
    assert (
        f"<td>{ESTABLISHMENTS_FILE}</td> <td>3</td> <td>date invalide dans "
        "dateCreationEtablissement : « hier » (AAAA-MM-JJ attendu)</td>"
    ) in page
    assert "<progress" not in page  # finished: the report replaces the bar

    state = client.get(f"{LIST}{run.pk}/etat.json").json()
    assert state["status"] == "done"
    assert state["percent"] == 100
    assert state["finished"] is True

    listing = text_of(client.get(LIST))
    assert f'href="{LIST}{run.pk}/"' in listing
    assert "Écriture en base" in listing


def test_the_rejected_rows_export(
    client_for, admin_user, stock, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    post_import(
        client,
        django_capture_on_commit_callbacks,
        {"unites_legales_path": "stock/" + UNITS_FILE, "etablissements_path": str(stock[1])},
    )
    run = ImportRun.objects.get()
    assert run.wet_run is False
    assert Company.objects.count() == 0  # a simulation writes nothing
    response = client.get(f"{LIST}{run.pk}/", {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Fichier;Ligne;Motif du rejet"
    assert lines[1].startswith(f"{ESTABLISHMENTS_FILE};3;date invalide")


def test_a_path_outside_the_import_directory_is_refused(
    client_for, admin_user, stock, tmp_path, django_capture_on_commit_callbacks
):
    outside = tmp_path / "secret.csv"
    outside.write_text("siren\n", encoding="utf-8")
    response = post_import(
        client_for(admin_user),
        django_capture_on_commit_callbacks,
        {"unites_legales_path": "../secret.csv", "etablissements_path": "/etc/passwd"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Le chemin « ../secret.csv » est en dehors du dossier des imports" in page
    assert "Le chemin « /etc/passwd » est en dehors du dossier des imports" in page
    assert ImportRun.objects.count() == 0


def test_a_file_of_the_wrong_type_is_refused(
    client_for, admin_user, stock, import_dir, django_capture_on_commit_callbacks
):
    semicolons = SimpleUploadedFile("StockEtablissement_utf8.csv", b"siren;siret\n1;2\n")
    response = post_import(
        client_for(admin_user),
        django_capture_on_commit_callbacks,
        {
            "unites_legales_file": SimpleUploadedFile("liste.xlsx", b"PK\x03\x04"),
            "etablissements_file": semicolons,
        },
    )
    page = text_of(response)
    assert "Le fichier « liste.xlsx » n'est ni un .csv ni un .zip" in page
    assert "utilise le séparateur « point-virgule »" in page
    assert ImportRun.objects.count() == 0
    assert not any((import_dir / "uploads").glob("*/*"))  # refused uploads are not kept


def test_each_file_needs_an_upload_or_a_path(client_for, admin_user, stock):
    response = client_for(admin_user).post(
        NEW,
        {
            "unites_legales_file": upload(stock[0]),
            "unites_legales_path": "stock/" + UNITS_FILE,
        },
    )
    page = text_of(response)
    assert page.count("Déposez le fichier ou indiquez son chemin (l'un des deux).") == 2


def test_uploads_over_the_size_limit_are_refused(client_for, admin_user, stock, settings):
    settings.GUICHET_IMPORT_UPLOAD_MAX_MB = 0
    response = client_for(admin_user).post(
        NEW, {"unites_legales_file": upload(stock[0]), "etablissements_file": upload(stock[1])}
    )
    assert f"Le fichier « {UNITS_FILE} » dépasse 0 Mo" in text_of(response)


def test_a_running_import_shows_its_progress(client_for, admin_user, import_dir):
    run = ImportRun.objects.create(
        unites_legales_path="a.csv",
        etablissements_path="b.csv",
        status=ImportRun.Status.RUNNING,
        phase="Lecture des unités légales",
        bytes_total=1000,
        bytes_read=420,
        rows_read=12345,
    )
    client = client_for(admin_user)
    page = text_of(client.get(f"{LIST}{run.pk}/"))
    assert '<progress id="import-bar" class="fr-col-12" max="100" value="42"' in page
    assert "Lecture des unités légales" in page
    assert "12345</span> lignes lues" in page
    assert f'data-status-url="{LIST}{run.pk}/etat.json"' in page
    assert "/static/core/progress.js" in page
    assert "Rafraîchir" in page
    state = client.get(f"{LIST}{run.pk}/etat.json").json()
    assert {k: state[k] for k in ("status", "percent", "rows_read", "phase", "finished")} == {
        "status": "running",
        "percent": 42,
        "rows_read": 12345,
        "phase": "Lecture des unités légales",
        "finished": False,
    }


def test_a_failed_import_shows_its_error(client_for, admin_user, import_dir):
    run = ImportRun.objects.create(
        unites_legales_path=str(import_dir / "disparu.csv"), etablissements_path="b.csv"
    )
    assert import_run_execute(import_run_id=run.pk) == "failed"
    assert import_run_execute(import_run_id=run.pk) == "ignored"  # safe to run twice
    page = text_of(client_for(admin_user).get(f"{LIST}{run.pk}/"))
    assert "L'import a échoué" in page
    assert "« disparu.csv » est introuvable" in page
