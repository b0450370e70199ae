from django.conf import settings

from guichet.core.registry import nav_entries_for


def platform(request):
    user = getattr(request, "user", None)
    entries = nav_entries_for(user) if user is not None and user.is_authenticated else []
    return {
        "platform_name": settings.GUICHET_PLATFORM_NAME,
        "region_name": settings.GUICHET_REGION_NAME,
        "nav_entries": entries,
    }
