"""Intake of a need (public form, partner API, advisor on the company file): duplicates,
spam, rate limit, routing, the company's acknowledgement."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.companies.models import Company, Establishment
from guichet.desk.models import Channel, CompanyEmail, DeskPolicy, Need, NeedEvent
from guichet.desk.services.common import company_email, event, timeline
from guichet.desk.services.routing import need_route, route_subjects
from guichet.desk.status import NeedStatus, with_status

NEED_FIELDS = (
    "siret",
    "company_name",
    "postal_code",
    "description",
    "contact_first_name",
    "contact_last_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)


@dataclass(frozen=True)
class SubmitResult:
    need: Need
    attached_to: Need | None = None

    @property
    def reference(self) -> str:
        """The reference the company should quote: the open need it was attached to, if any."""
        return (self.attached_to or self.need).reference


def client_fingerprint(ip_address: str) -> str:
    """A keyed hash of the sender's IP address: enough to count submissions, not to identify."""
    raw = f"{settings.SECRET_KEY}:desk:{ip_address or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


def rate_limited(fingerprint: str, *, now=None) -> bool:
    """Whether this sender already sent the hourly allowance of public submissions."""
    if not fingerprint:
        return False
    now = now or timezone.now()
    limit = DeskPolicy.current().submissions_per_hour
    recent = Need.objects.filter(
        client_fingerprint=fingerprint, submitted_at__gte=now - timedelta(hours=1)
    ).count()
    return recent >= limit


def resolve_company(siret: str) -> tuple[Company | None, Establishment | None]:
    """The registry company (and establishment) of a declared SIRET, when known."""
    if not siret:
        return None, None
    establishment = Establishment.objects.select_related("company").filter(siret=siret).first()
    if establishment is not None:
        return establishment.company, establishment
    return Company.objects.filter(siren=siret[:9]).first(), None


def _same_requester(need: Need):
    """Needs from the same company: the registry company, else the declared SIRET, else the
    contact's e-mail address."""
    if need.company_id:
        return {"company_id": need.company_id}
    if need.siret:
        return {"siret": need.siret}
    return {"contact_email__iexact": need.contact_email}


def open_duplicate(need: Need, subjects) -> Need | None:
    """An open need of the same requester sharing a subject, oldest first."""
    candidates = (
        with_status(
            Need.objects.filter(**_same_requester(need), subjects__in=subjects).exclude(pk=need.pk)
        )
        .filter(status__in=NeedStatus.OPEN)
        .order_by("submitted_at")
        .distinct()
    )
    return candidates.first()


@transaction.atomic
def need_submit(
    *,
    data: dict,
    subjects,
    channel: str,
    recorded_by=None,
    source_organisation=None,
    consent: bool = False,
    client_ip: str = "",
    is_spam: bool = False,
    spam_reason: str = "",
    notify_company: bool = True,
    company: Company | None = None,
    at=None,
) -> SubmitResult:
    """Record a need whose fields were validated (forms.NeedForm, used by the page and the
    API alike), then attach it to an open duplicate or route it, and acknowledge it."""
    at = at or timezone.now()
    unknown = set(data) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown need fields: {sorted(unknown)}")
    subjects = list(subjects)
    establishment = None
    if company is None:
        company, establishment = resolve_company(data.get("siret", ""))
    need = Need(
        **data,
        company=company,
        channel=channel,
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        source_organisation=source_organisation or getattr(recorded_by, "organisation", None),
        consent_at=at if consent else None,
        submitted_at=at,
        is_spam=is_spam,
        spam_reason=spam_reason,
        client_fingerprint=client_fingerprint(client_ip) if client_ip else "",
    )
    if establishment is not None:
        need.commune_code = establishment.commune_code
        need.postal_code = need.postal_code or establishment.postal_code
    if not need.company_name and company is not None:
        need.company_name = company.name
    from guichet.desk.routing import profile_for

    profile = profile_for(
        company=company, commune_code=need.commune_code, postal_code=need.postal_code
    )
    need.departement_id = profile.departement or None
    need.region_id = profile.region or None
    need.save()
    need.subjects.set(subjects)
    channel_label = Channel(channel).label
    event(need, NeedEvent.Kind.SUBMITTED, actor=recorded_by, text=str(channel_label), at=at)
    if is_spam:
        event(need, NeedEvent.Kind.SPAM, text=spam_reason, at=at)
        return SubmitResult(need=need)

    original = open_duplicate(need, subjects)
    if original is not None:
        need.duplicate_of = original
        need.save(update_fields=["duplicate_of"])
        new_subjects = [s for s in subjects if not original.subjects.filter(pk=s.pk).exists()]
        if new_subjects:
            original.subjects.add(*new_subjects)
        event(
            original,
            NeedEvent.Kind.ATTACHED,
            actor=recorded_by,
            text=f"Demande {need.reference} ({channel_label}) : {need.description}",
            at=at,
        )
        if new_subjects:
            route_subjects(original, new_subjects, actor=recorded_by, at=at)
        if notify_company:
            company_email(need, CompanyEmail.Kind.ATTACHED, at=at)
        return SubmitResult(need=need, attached_to=original)

    need_route(need=need, actor=recorded_by, at=at)
    subjects_text = ", ".join(s.label for s in subjects)
    timeline(
        need,
        f"Demande au guichet {need.reference} : {subjects_text}",
        text=need.description[:500],
        actor=recorded_by,
        at=at,
    )
    if notify_company:
        company_email(need, CompanyEmail.Kind.CONFIRMATION, at=at)
    return SubmitResult(need=need)
