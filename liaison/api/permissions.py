from rest_framework.permissions import BasePermission


class HasScope(BasePermission):
    """Requests with an API key need the view's `required_scope`; session users pass."""

    def has_permission(self, request, view):
        scope = getattr(view, "required_scope", None)
        key = request.auth
        if scope is None or key is None or not hasattr(key, "has_scope"):
            return True
        return key.has_scope(scope)
