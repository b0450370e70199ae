from datetime import date

from django.core.management.base import BaseCommand, CommandError

from guichet.collective.tasks import collective_daily_run, schedule_next_daily_run
from guichet.core.audit import acting_as


class Command(BaseCommand):
    help = (
        "Tâche quotidienne des actions collectives : programmation des enquêtes de suivi des "
        "participants présents, envoi des enquêtes dues (3, 6 et 12 mois après l'action) et de "
        "leur unique relance, rappels avant les actions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Date du traitement (AAAA-MM-JJ), par défaut aujourd'hui (Europe/Paris).",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Planifier aussi les passages quotidiens suivants dans le worker (6 h 45).",
        )

    def handle(self, *args, today: str | None, schedule: bool, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today : date invalide « {today} » (AAAA-MM-JJ).") from error
        with acting_as(None, path="run_collective_daily"):
            summary = collective_daily_run(today=day)
        reminders = summary["reminders"]
        reminders_text = (
            "rappels avant les actions non envoyés (service absent)"
            if reminders is None
            else f"rappels avant les actions : {reminders}"
        )
        self.stdout.write(
            f"{summary['day']} : {summary['surveys_scheduled']} enquête(s) programmée(s), "
            f"{summary['surveys_sent']} envoyée(s), {summary['surveys_reminded']} relance(s) ; "
            f"{reminders_text}."
        )
        if schedule:
            if schedule_next_daily_run():
                self.stdout.write("Prochain passage planifié demain à 6 h 45 dans le worker.")
            else:
                self.stdout.write("Passage quotidien déjà planifié (ou worker sans planification).")
