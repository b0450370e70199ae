"""Background tasks of the desk (django-tasks: database backend in production, immediate in
tests)."""

from django_tasks import task


@task()
def send_company_email(*, company_email_id: int) -> bool:
    from guichet.desk.models import CompanyEmail
    from guichet.desk.services.mail import send_company_email_now

    mail = CompanyEmail.objects.select_related("need").filter(pk=company_email_id).first()
    if mail is None:
        return False
    send_company_email_now(mail)
    return True


@task()
def desk_daily(*, today: str | None = None, reschedule: bool = True) -> dict:
    """The desk's daily job (reminders, escalations, re-routing, abandonment, surveys); it
    schedules its next run for the following morning, so a running worker keeps it going."""
    from datetime import date

    from guichet.desk.services.reminders import desk_daily_run, schedule_next_daily_run

    day = date.fromisoformat(today) if today else None
    summary = desk_daily_run(today=day)
    if reschedule:
        schedule_next_daily_run()
    return summary
