"""`python manage.py plan_report --plan SLUG --year YYYY --format pdf|xlsx [--output PATH]`:
the plan's yearly report (the same file as the dashboard's download), with the dashboard's
filters as options (--partner, --filiere, --departement, --size)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.plans import selectors
from guichet.plans.report import build_report
from guichet.plans.report_params import (
    FORMATS,
    format_error,
    parse_filters,
    valid_slug,
    year_error,
)


class Command(BaseCommand):
    help = "Établit le bilan annuel d'un plan en PDF ou en tableur (une feuille par mesure)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="", help="identifiant du plan (ex. parex-2)")
        parser.add_argument("--year", default="", help="année du bilan (AAAA)")
        parser.add_argument("--format", default="pdf", help=f"{' ou '.join(FORMATS)}")
        parser.add_argument(
            "--output",
            default="",
            help="fichier à écrire, ou dossier où l'écrire (par défaut : le dossier courant)",
        )
        parser.add_argument("--partner", default="", help="numéro d'une organisation partenaire")
        parser.add_argument("--filiere", default="", help="numéro d'une filière")
        parser.add_argument("--departement", default="", help="code INSEE du département")
        parser.add_argument("--size", default="", help="taille d'entreprise (TPE, PME, ETI, GE)")

    def handle(self, *args, **options):
        plan = self._plan(options["plan"].strip())
        year = self._year(plan, options["year"].strip())
        fmt = options["format"].strip().lower()
        if format_error(fmt):
            raise CommandError(format_error(fmt))
        parsed = parse_filters(options, plan=plan, year=year)
        if parsed.errors:
            raise CommandError(" ".join(m for messages in parsed.errors.values() for m in messages))
        content, filename, _type = build_report(plan, year, parsed.filters, fmt)
        path = self._path(options["output"], filename)
        path.write_bytes(content)
        self.stdout.write(
            f"Bilan {year} de « {plan.name} » écrit dans {path} ({len(content)} octets)."
        )

    def _plan(self, slug: str):
        if not slug:
            raise CommandError("Indiquez le plan : --plan IDENTIFIANT (ex. --plan parex-2).")
        plan = selectors.plan_by_slug(slug) if valid_slug(slug) else None
        if plan is None:
            known = ", ".join(selectors.plans().values_list("slug", flat=True)) or "aucun"
            raise CommandError(f"Plan inconnu : « {slug} ». Plans enregistrés : {known}.")
        return plan

    def _year(self, plan, raw: str) -> int:
        if not raw:
            raise CommandError("Indiquez l'année du bilan : --year AAAA.")
        year = int(raw) if raw.isdigit() and len(raw) == 4 else None
        error = year_error(plan, year)
        if error:
            raise CommandError(f"Année refusée : « {raw} ». {error}")
        return year

    def _path(self, output: str, filename: str) -> Path:
        if not output:
            return Path.cwd() / filename
        path = Path(output)
        if path.is_dir():
            return path / filename
        if not path.parent.is_dir():
            raise CommandError(f"Le dossier « {path.parent} » n'existe pas.")
        return path
