"""Where application documents, payment proofs and decision letters live: a directory outside
the web root (GUICHET_PRIVATE_DIR, var/private by default), never served by the web server;
files are only streamed by views that check permissions first."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Reads the directory from the settings at every use (tests point it at a temporary
    directory) and has no URL: nothing here is served directly."""

    @property
    def base_location(self):
        return str(settings.GUICHET_PRIVATE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; stream them through a view.")


private_storage = PrivateStorage()


def document_path(instance, filename: str) -> str:
    """Random names: the stored name never carries what the uploader typed."""
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"aids/{instance.application_id}/{secrets.token_hex(16)}{suffix}"
