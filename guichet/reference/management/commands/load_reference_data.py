"""`python manage.py load_reference_data`: create or refresh the reference tables."""

import time

from django.core.management.base import BaseCommand, CommandError

from guichet.reference.services import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les référentiels (régions, départements, NAF, tranches "
        "d'effectifs, pays). Sans effet de bord si relancée."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            reference_data_load(stdout=self.stdout)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Référentiels chargés en {elapsed} s."))
