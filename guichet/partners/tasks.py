from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_invitation_email(*, user_id: int) -> bool:
    """E-mail a new user the link to choose a password. Safe to run twice (a new link)."""
    from guichet.partners.models import User
    from guichet.partners.services import user_invitation_link

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    link = user_invitation_link(user=user, base_url=settings.GUICHET_BASE_URL)
    body = render_to_string(
        "partners/email/invitation.txt",
        {"user": user, "link": link, "platform_name": settings.GUICHET_PLATFORM_NAME},
    )
    send_mail(
        f"Votre compte {settings.GUICHET_PLATFORM_NAME}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True
