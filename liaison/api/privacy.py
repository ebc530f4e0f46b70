"""Nothing personal in the API's own tables (docs/privacy.md)."""

from liaison.core import privacy

from .models import ApiKey

privacy.not_personal(ApiKey, "name", "what an API key is for")
