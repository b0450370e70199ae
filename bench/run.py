"""`make bench`: one line per figure, measured on generated data of realistic size.

Foundation figures: loading the reference data, writing audited records (the cost of the audit
log on every save), rendering the audit log over 100,000 events, and the health check.
Registry figures (bench/registry.py): SIRENE import on SQLite and PostgreSQL against a DuckDB
floor, and search latency; GUICHET_BENCH_SCALE=0.1 for a quick run, 0 to skip them.
Desk figures (bench/desk.py): intake and routing rate, the daily job, inbox and figures pages.
Follow-up figures (bench/followup.py): portfolio, company file, diagnostic, PDF reports.
Aids figures (bench/aids.py): state-aid positions and ceiling checks, instructors' pages,
a committee decision with its letter.
Plan figures (bench/plans_dashboard.py): the PAREX 2 dashboard, breakdowns, drill-down, yearly
report and impact estimate on a région's volumes, in a database of their own.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GUICHET_SSL_REDIRECT", "0")
os.environ.setdefault("GUICHET_SECURE_COOKIES", "0")
os.environ.setdefault("GUICHET_TASKS_BACKEND", "immediate")
os.environ.setdefault("GUICHET_EMAIL_BACKEND", "locmem")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from guichet.core.models import AuditEvent  # noqa: E402
from guichet.partners.models import Organisation, User  # noqa: E402
from guichet.partners.services import organisation_create, user_create  # noqa: E402
from guichet.reference.services import reference_data_load  # noqa: E402


def timed(label: str, fn, *, count: int = 1, unit: str = "") -> None:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    per = f" ({elapsed / count * 1000:.2f} ms per {unit})" if count > 1 else ""
    print(f"{label}: {elapsed:.3f} s{per}", flush=True)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    timed("reference data load (all tables)", reference_data_load)
    timed("reference data reload (idempotent)", reference_data_load)

    organisation = Organisation.objects.filter(slug="bench").first() or organisation_create(
        name="Organisation de mesure", kind="other", slug="bench"
    )
    start_users = User.objects.count()

    def create_users() -> None:
        for i in range(500):
            user_create(
                email=f"bench{start_users + i}@bench.example",
                first_name="Mesure",
                last_name=str(i),
                organisation=organisation,
                roles=["advisor"],
                password=None,
                invite=False,
            )

    timed("500 audited user creations", create_users, count=500, unit="user")

    missing = 100_000 - AuditEvent.objects.count()
    if missing > 0:
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(action="view", object_type="partners.User", object_id=str(i))
                for i in range(missing)
            ],
            batch_size=5000,
        )
    admin = User.objects.filter(email="bench-admin@bench.example").first() or user_create(
        email="bench-admin@bench.example",
        first_name="Admin",
        last_name="Mesure",
        organisation=organisation,
        roles=["admin"],
        invite=False,
    )
    client = Client()
    client.force_login(admin)
    total = AuditEvent.objects.count()
    timed(
        f"audit log page over {total} events (x20)",
        lambda: [client.get("/administration/journal/?action=view") for _ in range(20)],
        count=20,
        unit="page",
    )
    timed(
        "audit log CSV export of 100,000 events",
        lambda: client.get("/administration/journal/?action=view&format=csv"),
    )
    timed(
        "healthz (x200)",
        lambda: [client.get("/healthz") for _ in range(200)],
        count=200,
        unit="call",
    )

    from bench.desk import run as desk_benchmark

    desk_benchmark()

    from bench.followup import run as followup_benchmark

    followup_benchmark()

    from bench.aids import run as aids_benchmark

    aids_benchmark()

    from bench.registry import run as registry_benchmark

    registry_benchmark()

    from bench.markets_complexity import run as markets_complexity_benchmark

    markets_complexity_benchmark()

    from bench.markets_potential import run as markets_potential_benchmark

    markets_potential_benchmark()

    from bench.plans_dashboard import run as plans_dashboard_benchmark

    plans_dashboard_benchmark()


if __name__ == "__main__":
    main()
