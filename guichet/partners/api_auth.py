from ninja.security import HttpBearer

from guichet.partners.selectors import active_api_key
from guichet.partners.services import api_key_touch


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer KEY`: the key identifies a partner organisation."""

    def authenticate(self, request, token: str):
        key = active_api_key(token.strip())
        if key is None:
            return None
        api_key_touch(key=key)
        request.api_organisation = key.organisation
        return key
