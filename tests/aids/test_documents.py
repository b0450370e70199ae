"""Documents of an application: PDF, PNG or JPEG recognised by their bytes, size-capped, stored
under a random name outside the web root with their SHA-256; a refused file stores nothing,
including a 50 MB upload through the page."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.aids.models import ApplicationDocument
from guichet.aids.services.documents import (
    CappedUploadHandler,
    application_document_add,
    application_document_remove,
    clean_original_name,
)
from tests.aids.conftest import PDF_BYTES, PNG_BYTES, make_application, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    root = Path(settings.GUICHET_PRIVATE_DIR)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def draft(scheme, company, org_a):
    return make_application(scheme, company, org_a)


def test_a_pdf_is_stored_privately_under_a_random_name_with_its_hash(draft, scheme, settings):
    kbis = scheme.required_documents.get(code="kbis")
    document = application_document_add(
        application=draft, upload=pdf_upload("Kbis 2026.pdf"), required=kbis
    )
    files = stored_files(settings)
    assert len(files) == 1
    assert files[0].read_bytes() == PDF_BYTES
    assert files[0].parent.name == str(draft.pk)
    assert "Kbis" not in files[0].name
    assert files[0].suffix == ".pdf"
    assert document.original_name == "Kbis 2026.pdf"
    assert document.label == "Extrait Kbis"
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (document.content_type, document.size) == ("application/pdf", len(PDF_BYTES))


def test_the_type_comes_from_the_bytes_not_the_name_or_the_browser(draft, settings):
    upload = SimpleUploadedFile("photo.pdf", PNG_BYTES, content_type="application/pdf")
    document = application_document_add(application=draft, upload=upload, label="Photo du stand")
    assert document.content_type == "image/png"
    assert stored_files(settings)[0].suffix == ".png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("devis.pdf", b"MZ\x90\x00\x03 an executable renamed"),
        ("devis.pdf", b"<html><script>alert(1)</script></html>"),
        ("tableau.xlsx", b"PK\x03\x04 a spreadsheet"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_and_nothing_is_stored(
    draft, settings, name, content
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        application_document_add(application=draft, upload=upload, label="Devis")
    assert refused.value.message_dict["file"] == [
        f"Le fichier « {name} » n'est ni un PDF ni une image PNG ou JPEG : seuls ces formats "
        "sont acceptés (renommer le fichier ne suffit pas, enregistrez-le en PDF)."
    ]
    assert ApplicationDocument.objects.count() == 0
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(draft, settings):
    settings.GUICHET_DOCUMENT_MAX_MB = 1
    upload = pdf_upload("gros.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        application_document_add(application=draft, upload=upload, label="Devis")
    assert refused.value.message_dict["file"][0].startswith(
        "Le fichier « gros.pdf » pèse 1,0 Mo : 1 Mo au plus."
    )
    assert stored_files(settings) == []


def test_an_empty_file_and_a_missing_label_are_refused(draft):
    with pytest.raises(ValidationError) as refused:
        application_document_add(application=draft, upload=pdf_upload(content=b""), label="")
    assert refused.value.message_dict["file"] == ["Le fichier « devis.pdf » est vide."]
    assert "Indiquez ce que contient le document" in refused.value.message_dict["label"][0]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\claire\\Devis.pdf", "Devis.pdf"),
        ("devis\x00\x1b[31m.pdf", "devis[31m.pdf"),
        ("", "document"),
        ("x" * 300 + ".pdf", "x" * 200),
    ],
)
def test_the_original_name_is_kept_as_harmless_text(typed, kept):
    assert clean_original_name(typed) == kept


def test_a_document_of_a_submitted_file_cannot_be_added_or_removed(scheme, company, org_a):
    application = make_application(scheme, company, org_a, status="submitted")
    with pytest.raises(ValidationError, match="n'est plus modifiable"):
        application_document_add(application=application, upload=pdf_upload(), label="Devis")


def test_removing_a_document_deletes_its_file(draft, settings, django_capture_on_commit_callbacks):
    document = application_document_add(application=draft, upload=pdf_upload(), label="Devis")
    assert len(stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        application_document_remove(document=document)
    assert ApplicationDocument.objects.count() == 0
    assert stored_files(settings) == []
    assert draft.events.filter(title="Pièce jointe retirée : Devis").exists()


def test_the_upload_handler_writes_no_more_than_the_limit_to_disk(settings, rf):
    settings.GUICHET_DOCUMENT_MAX_MB = 1
    handler = CappedUploadHandler(rf.post("/"))
    handler.new_file("file", "gros.pdf", "application/pdf", None)
    chunk = b"0" * (64 * 1024)
    total = 0
    for start in range(0, 5 * 1024 * 1024, len(chunk)):
        handler.receive_data_chunk(chunk, start)
        total += len(chunk)
    uploaded = handler.file_complete(total)
    uploaded.file.seek(0, 2)
    assert uploaded.size == 5 * 1024 * 1024  # what was sent: refused by the size check
    assert uploaded.file.tell() <= 1024 * 1024  # what was written


# --- through the advisor's page ----------------------------------------------------------------


def _upload(client, application, upload, *, required=""):
    return client.post(
        f"/aides/dossiers/{application.reference}/modifier/",
        {
            "action": "piece",
            "piece_requise": str(required),
            "piece-libre-label": "Plaquette",
            f"piece-{required}-file" if required else "piece-libre-file": upload,
        },
    )


def test_a_50_mb_upload_gets_a_french_message_and_stores_nothing(
    client_for, advisor_a, draft, settings
):
    big = SimpleUploadedFile(
        "salon.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024), content_type="application/pdf"
    )
    response = _upload(client_for(advisor_a), draft, big)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Le fichier « salon.pdf » pèse 50,0 Mo : 10 Mo au plus." in text
    assert ApplicationDocument.objects.count() == 0
    assert stored_files(settings) == []


def test_a_renamed_executable_is_refused_on_the_page(
    client_for, advisor_a, draft, scheme, settings
):
    kbis = scheme.required_documents.get(code="kbis")
    fake = SimpleUploadedFile("kbis.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = _upload(client_for(advisor_a), draft, fake, required=kbis.pk)
    assert response.status_code == 200
    assert "n&#x27;est ni un PDF ni une image PNG ou JPEG" in response.content.decode()
    assert stored_files(settings) == []


def test_a_pdf_uploaded_on_the_page_is_listed_with_its_name(client_for, advisor_a, draft, scheme):
    kbis = scheme.required_documents.get(code="kbis")
    client = client_for(advisor_a)
    response = _upload(client, draft, pdf_upload("kbis-2026.pdf"), required=kbis.pk)
    assert response.status_code == 302
    assert response["Location"].endswith("#pieces")
    page = client.get(response["Location"]).content.decode()
    assert "« Extrait Kbis » est joint au dossier." in page
    assert "kbis-2026.pdf" in page
    document = draft.documents.get()
    assert (document.required, document.uploaded_by) == (kbis, advisor_a)
