"""Documents of an application: PDF, PNG or JPEG only, recognised by their first bytes (the
name's extension and the browser's declared type are not trusted), at most
GUICHET_DOCUMENT_MAX_MB, stored under a random name in the private storage with their SHA-256;
what the uploader called the file is kept only as text.

Uploads are received by `CappedUploadHandler`: written to a temporary file (never held in
memory), and no more than the limit is written — a 50 MB file is read to the end, dropped, and
answered with a French message instead of an error page."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import transaction
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from guichet.aids.models import Application, ApplicationDocument, RequiredDocument
from guichet.aids.services.states import COMPANY_EDITABLE, application_log


@dataclass(frozen=True)
class FileKind:
    signature: bytes
    content_type: str
    extension: str
    label: str


ACCEPTED = (
    FileKind(b"%PDF-", "application/pdf", ".pdf", "PDF"),
    FileKind(b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
    FileKind(b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
)
ACCEPT_ATTRIBUTE = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NOT_EDITABLE = (
    "Ce dossier n'est plus modifiable : il a été déposé. Les pièces ne peuvent plus être "
    "ajoutées ni retirées."
)


def max_bytes() -> int:
    return int(getattr(settings, "GUICHET_DOCUMENT_MAX_MB", 10)) * 1024 * 1024


def max_megabytes() -> int:
    return int(getattr(settings, "GUICHET_DOCUMENT_MAX_MB", 10))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


# --- receiving -------------------------------------------------------------------------------


class CappedUploadHandler(TemporaryFileUploadHandler):
    """A temporary file per upload; past the limit, chunks are counted and dropped (the size
    the parser reports stays the real one, so the check below refuses the file)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            return None
        return super().receive_data_chunk(raw_data, start)


def capped_uploads(view):
    """Views receiving documents: uploads through CappedUploadHandler. The handlers must be set
    before anything reads request.POST, which the CSRF middleware does: the check moves
    inside (Django's documented pattern)."""

    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers = [CappedUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return wrapper


# --- checking --------------------------------------------------------------------------------


def clean_original_name(name: str) -> str:
    """The name as typed by the uploader, for display only: no directories, no control
    characters, 200 characters at most."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _CONTROL.sub("", unicodedata.normalize("NFC", base)).strip(" .")
    return base[:200] or "document"


def file_kind(upload) -> FileKind | None:
    """The accepted kind the first bytes show, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in ACCEPTED:
        if head.startswith(kind.signature):
            return kind
    return None


def upload_problem(upload) -> str | None:
    """Why this upload is refused (French), or None."""
    if upload is None:
        return "Choisissez un fichier à joindre."
    name = clean_original_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", 0) or 0
    if size > max_bytes():
        return (
            f"Le fichier « {name} » pèse {_megabytes(size)} Mo : {max_megabytes()} Mo au plus. "
            "Réduisez-le (PDF compressé, image moins lourde) ou envoyez-le en plusieurs parties."
        )
    if size == 0:
        return f"Le fichier « {name} » est vide."
    if file_kind(upload) is None:
        return (
            f"Le fichier « {name} » n'est ni un PDF ni une image PNG ou JPEG : seuls ces "
            "formats sont acceptés (renommer le fichier ne suffit pas, enregistrez-le en PDF)."
        )
    return None


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- writing ---------------------------------------------------------------------------------


def _editable(application: Application) -> None:
    if application.status not in COMPANY_EDITABLE:
        raise ValidationError({"file": [NOT_EDITABLE]})


def application_document_add(
    *,
    application: Application,
    upload,
    label: str = "",
    required: RequiredDocument | None = None,
    by=None,
    by_company: bool = False,
) -> ApplicationDocument:
    """Store one document of the file. Nothing is written when it is refused."""
    _editable(application)
    errors: dict[str, list[str]] = {}
    problem = upload_problem(upload)
    if problem:
        errors["file"] = [problem]
    if required is not None and required.scheme_id != application.scheme_id:
        errors["required"] = ["Cette pièce n'est pas demandée par ce dispositif."]
    label = " ".join((label or (required.label if required else "")).split())
    if not label:
        errors["label"] = ["Indiquez ce que contient le document (ex. « Devis du salon »)."]
    elif _CONTROL.search(label):
        errors["label"] = ["L'intitulé contient des caractères non autorisés."]
    if errors:
        raise ValidationError(errors)
    kind = file_kind(upload)
    document = ApplicationDocument(
        application=application,
        required=required,
        label=label[:200],
        original_name=clean_original_name(upload.name),
        content_type=kind.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=by,
    )
    document.file.save(f"document{kind.extension}", File(upload), save=False)
    stored = document.file.name
    try:
        with transaction.atomic():
            document.save()
            application_log(
                application=application,
                title=f"Pièce jointe ajoutée : {document.label}",
                by=by,
                by_company=by_company,
                timeline=False,
            )
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


def application_document_remove(
    *, document: ApplicationDocument, by=None, by_company: bool = False
) -> None:
    application = document.application
    _editable(application)
    stored, label = document.file.name, document.label
    with transaction.atomic():
        document.delete()
        application_log(
            application=application,
            title=f"Pièce jointe retirée : {label}",
            by=by,
            by_company=by_company,
            timeline=False,
        )
        transaction.on_commit(lambda: document.file.storage.delete(stored))


def discard_stored(names: list[str]) -> None:
    """Delete files stored by a write that was then rolled back."""
    from guichet.aids.storage import private_storage

    for name in names:
        if name:
            private_storage.delete(name)
