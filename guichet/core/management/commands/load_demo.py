import importlib
import os

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Charge les référentiels et les données de démonstration (idempotent). Chaque "
        "application peut fournir un module `demo` avec une fonction load(password, stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-env",
            default="GUICHET_DEMO_PASSWORD",
            help="Variable d'environnement qui contient le mot de passe des comptes de démo.",
        )

    def handle(self, *args, password_env, **options):
        password = os.environ.get(password_env, "")
        if len(password) < 12:
            raise CommandError(
                f"{password_env} doit contenir un mot de passe d'au moins 12 caractères."
            )
        call_command("load_reference_data", stdout=self.stdout)
        accounts = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("guichet."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                accounts += module.load(password=password, stdout=self.stdout) or []
        self.stdout.write("Comptes de démonstration :")
        for email, description in accounts:
            self.stdout.write(f"  {email:32} {description}")
