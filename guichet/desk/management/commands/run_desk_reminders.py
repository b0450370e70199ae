from datetime import date

from django.core.management.base import BaseCommand, CommandError

from guichet.core.audit import acting_as
from guichet.desk.services import desk_daily_run, schedule_next_daily_run


class Command(BaseCommand):
    help = (
        "Tâche quotidienne du guichet : absences, relances (un récapitulatif par personne et "
        "par jour au plus), alerte aux responsables, réorientation, clôture sans réponse avec "
        "excuses à l'entreprise, enquêtes de satisfaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Date du traitement (AAAA-MM-JJ), par défaut aujourd'hui (Europe/Paris).",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Planifier aussi les passages quotidiens suivants dans le worker.",
        )

    def handle(self, *args, today: str | None, schedule: bool, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today : date invalide « {today} » (AAAA-MM-JJ).") from error
        with acting_as(None, path="run_desk_reminders"):
            summary = desk_daily_run(today=day)
        if not summary["working_day"]:
            self.stdout.write(f"{summary['day']} : jour non ouvré, rien à faire.")
        else:
            self.stdout.write(
                f"{summary['day']} : {summary['digests']} récapitulatif(s) envoyé(s), "
                f"{summary['escalated']} demande(s) signalée(s) aux responsables, "
                f"{summary['rerouted']} réorientée(s), {summary['abandoned']} close(s) sans "
                f"réponse, {summary['surveys']} enquête(s) envoyée(s), "
                f"{summary['absences_applied']} orientation(s) confiée(s) à un remplaçant."
            )
        if schedule:
            if schedule_next_daily_run():
                self.stdout.write("Prochain passage planifié demain à 6 h 30 dans le worker.")
            else:
                self.stdout.write("Passage quotidien déjà planifié (ou worker sans planification).")
