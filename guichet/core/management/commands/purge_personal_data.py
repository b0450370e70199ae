from django.core.management.base import BaseCommand

from guichet.core.audit import acting_as
from guichet.core.registry import retentions


class Command(BaseCommand):
    help = (
        "Supprime ou anonymise les données personnelles dont la durée de conservation annoncée "
        "est dépassée (contacts d'entreprises, demandes au guichet…). Simulation par défaut ; "
        "--wet-run applique."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer réellement.")

    def handle(self, *args, wet_run: bool, **options):
        for retention in retentions():
            if not wet_run:
                count = retention.pending()
                self.stdout.write(
                    f"Simulation : {count} {retention.label} à {retention.infinitive} "
                    f"(durée de conservation dépassée : {retention.rule}). Relancez avec "
                    "--wet-run pour appliquer."
                )
                continue
            with acting_as(None, path="purge_personal_data"):
                count = retention.purge()
            self.stdout.write(f"{count} {retention.label} {retention.done}.")
