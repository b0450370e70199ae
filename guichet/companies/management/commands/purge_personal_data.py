from django.core.management.base import BaseCommand

from guichet.companies.retention import RETENTION_YEARS, contacts_past_retention, contacts_purge
from guichet.core.audit import acting_as


class Command(BaseCommand):
    help = (
        f"Supprime les contacts d'entreprises sans échange depuis {RETENTION_YEARS} ans "
        "(durée de conservation annoncée). Simulation par défaut ; --wet-run supprime."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Supprimer réellement.")

    def handle(self, *args, wet_run: bool, **options):
        if not wet_run:
            count = contacts_past_retention().count()
            self.stdout.write(
                f"Simulation : {count} contact(s) à supprimer (durée de conservation de "
                f"{RETENTION_YEARS} ans dépassée). Relancez avec --wet-run pour supprimer."
            )
            return
        with acting_as(None, path="purge_personal_data"):
            count = contacts_purge()
        self.stdout.write(f"{count} contact(s) supprimé(s).")
