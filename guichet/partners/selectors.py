from django.db.models import Count, Prefetch, Q, QuerySet

from guichet.partners.models import ApiKey, Organisation, Role, User


def user_must_use_second_factor(user) -> bool:
    return Role.objects.filter(users=user, requires_second_factor=True).exists()


def organisations_directory(*, include_inactive: bool = False) -> QuerySet[Organisation]:
    organisations = Organisation.objects.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True)
    ).prefetch_related("regions", "departements")
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    return organisations.order_by("name")


def organisation_members(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.prefetch_related("roles").order_by(
        "last_name", "first_name", "email"
    )


def users_list(*, organisation: str = "", role: str = "", text: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation").prefetch_related(
        Prefetch("roles", queryset=Role.objects.order_by("code"))
    )
    if organisation:
        users = users.filter(organisation__slug=organisation)
    if role:
        users = users.filter(roles__code=role)
    if text:
        users = users.filter(
            Q(first_name__icontains=text) | Q(last_name__icontains=text) | Q(email__icontains=text)
        )
    return users.order_by("last_name", "first_name", "email").distinct()


def api_keys_of(organisation: Organisation) -> QuerySet[ApiKey]:
    return organisation.api_keys.order_by("-created_at")


def active_api_key(raw_key: str) -> ApiKey | None:
    from guichet.partners.models import hash_api_key

    return (
        ApiKey.objects.select_related("organisation")
        .filter(
            key_hash=hash_api_key(raw_key), revoked_at__isnull=True, organisation__is_active=True
        )
        .first()
    )


def key_figures() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True).count(),
    }
