"""The form that starts a SIRENE import from the web (administrators)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.sirene.base import ETABLISSEMENTS, UNITES_LEGALES, SireneFileError
from guichet.companies.sirene.files import open_stock
from guichet.companies.sirene.runs import (
    ALLOWED_SUFFIXES,
    import_dir,
    server_path,
    upload_discard,
    upload_store,
)
from guichet.core.uploads import oversize_message
from guichet.reference.models import Departement, Region

KINDS = {
    UNITES_LEGALES: _("unités légales (StockUniteLegale_utf8.csv ou .zip)"),
    ETABLISSEMENTS: _("établissements (StockEtablissement_utf8.csv ou .zip)"),
}


class SireneImportForm(DsfrBaseForm):
    """Each file comes either from an upload or from a path in GUICHET_IMPORT_DIR. Once
    valid, `paths` holds the two checked files (uploads are stored on the server)."""

    unites_legales_file = forms.FileField(
        label=_("Fichier des unités légales"),
        required=False,
        help_text=_("StockUniteLegale_utf8.csv ou .zip, tel que publié par l'INSEE."),
    )
    unites_legales_path = forms.CharField(
        label=_("… ou son chemin sur le serveur"), required=False, max_length=500
    )
    etablissements_file = forms.FileField(
        label=_("Fichier des établissements"),
        required=False,
        help_text=_("StockEtablissement_utf8.csv ou .zip, tel que publié par l'INSEE."),
    )
    etablissements_path = forms.CharField(
        label=_("… ou son chemin sur le serveur"), required=False, max_length=500
    )
    regions = forms.MultipleChoiceField(
        label=_("Régions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sans région ni département : la région de la plateforme."),
    )
    departements = forms.MultipleChoiceField(
        label=_("Départements"),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    wet_run = forms.BooleanField(
        label=_("Écrire en base"),
        required=False,
        help_text=_("Décoché : simulation. Le rapport donne les mêmes chiffres, rien n'est écrit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        folder = import_dir()
        for kind in KINDS:
            # On the bound field: the DSFR form has already built them.
            self[f"{kind}_path"].help_text = _(
                "Chemin relatif au dossier des imports %(folder)s (ou absolu, dans ce dossier)."
            ) % {"folder": folder}
        self.fields["regions"].choices = list(Region.objects.values_list("code", "name"))
        self.fields["departements"].choices = [
            (d.code, f"{d.code} – {d.name}") for d in Departement.objects.order_by("code")
        ]
        self.fields["regions"].initial = [settings.GUICHET_REGION]
        self.paths: dict[str, Path] = {}
        self._stored: list[Path] = []

    def clean(self):
        data = super().clean()
        for kind in KINDS:
            path = self._file_of(kind, data)
            if path is not None:
                self.paths[kind] = path
        if self.errors:
            self.discard_uploads()
        return data

    def _file_of(self, kind: str, data: dict) -> Path | None:
        uploaded, typed = data.get(f"{kind}_file"), (data.get(f"{kind}_path") or "").strip()
        field = f"{kind}_file"
        if bool(uploaded) == bool(typed):
            self.add_error(field, _("Déposez le fichier ou indiquez son chemin (l'un des deux)."))
            return None
        try:
            if typed:
                field = f"{kind}_path"
                path = server_path(typed)
            else:
                path = self._store(uploaded)
            open_stock(path, kind)  # the header is checked now, before anything is queued
        except SireneFileError as error:
            self.add_error(field, str(error))
            return None
        return path

    def _store(self, uploaded) -> Path:
        if Path(uploaded.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise SireneFileError(
                f"Le fichier « {uploaded.name} » n'est ni un .csv ni un .zip : déposez les "
                "fichiers stock SIRENE publiés par l'INSEE."
            )
        limit = settings.GUICHET_IMPORT_UPLOAD_MAX_MB
        if message := oversize_message(uploaded, limit_mb=limit, import_dir=import_dir()):
            raise SireneFileError(message)
        path = upload_store(uploaded)
        self._stored.append(path)
        return path

    def discard_uploads(self) -> None:
        for path in self._stored:
            upload_discard(path)
        self._stored = []
