"""Who may call the API, and how often: the default permission and throttle classes of every endpoint.

Kept apart from ``reemployment.core.api`` because DRF imports the classes named in its settings while
``rest_framework.views`` is still loading: this module must not import DRF's views.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from reemployment.core.models import Role
from reemployment.core.network import client_ip

# The project's code: RolePermission applies to these views; another package's views under DRF (Wagtail's
# admin API behind the page explorer) keep DRF's plain "logged in" rule.
PROJECT_PACKAGES = frozenset({"reemployment", "benefits", "jobs", "training", "incentives", "notifications", "cms"})

# The model permission a standard viewset action needs (Django's verbs, as in the admin).
ACTION_VERBS = {"list": "view", "retrieve": "view", "create": "add", "update": "change",
                "partial_update": "change", "destroy": "delete"}
METHOD_VERBS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change", "PATCH": "change",
                "DELETE": "delete"}


def _model_of(view):
    model = getattr(view, "permission_model", None)
    if model is not None:
        return model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def required_permissions(request, view) -> tuple[str, ...]:
    """The model permissions (``app_label.codename``) a staff user needs for this request.

    A view states them one of three ways, checked in this order:

    * ``required_permissions``: a tuple for every method, or a dict of HTTP method → tuple (plain
      ``APIView``s such as the obliged-not-registered list: ``("jobs.view_jobseeker",)``);
    * ``action_permissions``: a dict of a viewset's extra action → tuple (``{"close":
      ("jobs.change_vacancy",)}``);
    * nothing: the standard actions of a model viewset ask for ``view_``/``add_``/``change_``/``delete_``
      of its model, exactly as the admin does.

    A view or action that states nothing and has no model is a configuration error (never "allowed").
    """
    if request.method.lower() not in view.http_method_names or not hasattr(view, request.method.lower()):
        return ()  # no handler (TRACE, or DELETE on a read-only viewset): DRF answers 405
    # HEAD and OPTIONS (DRF's "metadata" action) read: they need what GET needs.
    method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
    declared = getattr(view, "required_permissions", None)
    if isinstance(declared, dict):
        if method not in declared:
            raise ImproperlyConfigured(f"{type(view).__name__}.required_permissions names no {method}")
        return tuple(declared[method])
    if declared is not None:
        return tuple(declared)
    action = getattr(view, "action", None)
    if action == "metadata":
        action = "list"
    extra = getattr(view, "action_permissions", {})
    if action in extra:
        return tuple(extra[action])
    model = _model_of(view)
    if model is None or (action is not None and action not in ACTION_VERBS):
        raise ImproperlyConfigured(f"{type(view).__name__} ({action or request.method}): declare required_permissions "
                                   "or action_permissions")
    verb = ACTION_VERBS.get(action) or METHOD_VERBS[method]
    return (f"{model._meta.app_label}.{verb}_{model._meta.model_name}",)


class RolePermission(BasePermission):
    """Every API request needs the same per-role model permissions as the admin (each app's
    ``roles.py``, synced into one group per role), so the API never shows a role more than its
    screens do. Staff: :func:`required_permissions`. Recipients hold no model permissions; a view
    opens named actions to them with ``recipient_actions`` (``{"list", "retrieve"}``; for a plain
    ``APIView`` the lower-case method), and its queryset limits them to their own household.
    Which records, inside the permitted kinds, is the scoping's business (``core.scoping``).
    The expected answer of every endpoint for every role is the table in docs/security.md, checked
    by tests/security/test_permission_matrix.py."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if type(view).__module__.split(".")[0] not in PROJECT_PACKAGES:
            return True  # another package's view: logged in is its rule (it checks its own permissions)
        if getattr(user, "role", None) == Role.RECIPIENT and not user.is_superuser:
            action = getattr(view, "action", None) or request.method.lower()
            return action in getattr(view, "recipient_actions", ())
        return user.has_perms(required_permissions(request, view))



class ClientThrottle(SimpleRateThrottle):
    """A per-client rate: the login when there is one, else the client's address as
    ``reemployment.core.network.client_ip`` sees it (the socket's, or what a trusted proxy saw — never
    a forged ``X-Forwarded-For``)."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PublicThrottle(ClientThrottle):
    """Endpoints open to the public: the estimate, notices, open courses (``PUBLIC_API_THROTTLE``)."""

    scope = "public"


class SearchThrottle(ClientThrottle):
    """Public vacancy search (``SEARCH_API_THROTTLE``)."""

    scope = "search"


class UserBurstThrottle(UserRateThrottle):
    """Every other endpoint, per login: a short-term rate (``API_USER_THROTTLE``), so that a logged-in
    account cannot scrape the case files at machine speed."""

    scope = "user_burst"

    def get_ident(self, request) -> str:
        return client_ip(request)


class UserSustainedThrottle(UserBurstThrottle):
    """… and a daily one (``API_USER_DAILY_THROTTLE``)."""

    scope = "user_sustained"
