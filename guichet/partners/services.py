"""Writes of partners and access: organisations, users, roles, API keys."""

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from guichet.partners.models import ApiKey, Organisation, Role, User, hash_api_key
from guichet.partners.tasks import send_invitation_email

API_KEY_PREFIX = "ge_"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    slug: str = "",
    regions=(),
    departements=(),
    is_active: bool = True,
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, kind=kind, slug=slug or _unique_slug(name), is_active=is_active
    )
    organisation.regions.set(regions)
    organisation.departements.set(departements)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    regions = fields.pop("regions", None)
    departements = fields.pop("departements", None)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if regions is not None:
        organisation.regions.set(regions)
    if departements is not None:
        organisation.departements.set(departements)
    return organisation


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    roles=(),
    phone: str = "",
    password: str | None = None,
    invite: bool = True,
    is_active: bool = True,
) -> User:
    """Create an account. Without a password, the person is e-mailed a link to choose one."""
    user = User.objects.create_user(
        email,
        password,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        phone=phone,
        is_active=is_active,
    )
    user.roles.set(roles)
    if invite and password is None and is_active:
        transaction.on_commit(lambda: send_invitation_email.enqueue(user_id=user.pk))
    return user


@transaction.atomic
def user_update(*, user: User, roles=None, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    if "email" in fields:
        user.email = user.email.lower()
    user.save()
    if roles is not None:
        user.roles.set(roles)
        user.__dict__.pop("_role_codes", None)
    return user


def user_invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{base_url.rstrip('/')}/compte/mot-de-passe/{uid}/{token}/"


def role_set_second_factor(*, role: Role, required: bool) -> Role:
    role.requires_second_factor = required
    role.save(update_fields=["requires_second_factor"])
    return role


def api_key_create(*, organisation: Organisation, name: str) -> tuple[ApiKey, str]:
    """Return the key row and the raw key, which is shown once and never stored."""
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organisation=organisation, name=name, prefix=raw[:10], key_hash=hash_api_key(raw)
    )
    return key, raw


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record the last use without writing an audit line for every API call."""
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
