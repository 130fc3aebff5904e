"""The permission matrix, generated: every admin viewset, every API GET endpoint and every
self-service page (/me/…), for every role inside and outside the record's jurisdiction, an
anonymous visitor, a recipient and the recipient of another household.

Nothing here lists endpoints by hand: the admin viewsets come from Wagtail's registry and the API
endpoints from the URL configuration (drf-spectacular's enumerator), so a new screen or endpoint
is covered the day it is added. The world (tests/security/world.py) is small and purpose-built: two
counties, a household per category, one record of every type inside and outside the township the
matrix tests with, and a login for every role (the demo's usernames). Expected answers:

* admin: no permission on the model → refused (302 to login/dashboard, or 403); permission but the
  record is outside the user's jurisdiction → 404; permission and inside → 200.
* API lists: anonymous → 401/403 unless the endpoint is public; an authenticated caller gets 200 or
  403, and every record a 200 list returns lies inside the caller's jurisdiction (for a recipient:
  belongs to their own household).
* API details: 200 inside the jurisdiction, 404 outside (or 403 when the role may not list at all);
  a recipient: 404 on another household's record, 200 or 404 on their own household's. Under
  ``/api/v1/me/`` a record is the caller's own or nothing: 200 for its household's recipient, 404 for
  everyone else (staff included, whatever their jurisdiction).
* Every scoped model has a record in the world, so no viewset escapes the matrix by being empty.
* Self-service pages (every route under /me/, found in the URL configuration): anonymous → 302 to
  the login page; staff → 403/404 (they have no household); the recipient → 200 on their own
  household's records (405 for a POST-only action); the recipient of another household → 404 on
  those same records, by GET or POST. A new route whose URL parameter is not in
  ``SELF_SERVICE_RECORDS`` fails the test until it is added.
"""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver
from drf_spectacular.generators import EndpointEnumerator
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from reemployment.core.admin_views import ScopedModelViewSet
from reemployment.core.models import Region, Role
from reemployment.core.scoping import scope_model
from tests.security.world import INSIDE, build_world

# A refusal: to the login page or dashboard (302), forbidden (403), or not found (404: Wagtail fetches
# the object before checking the permission, and a 404 does not even tell that the record exists).
DENIED = {302, 403, 404}
PUBLIC_GET = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/benefits/notices", "/api/v1/training/open-courses/"}
# A model that a viewset shows and the world lacks is a failure, not an exemption: add it to
# tests/security/world.py.


def _all_model_viewsets():
    _ = get_resolver().url_patterns  # admin viewsets register their URLs on first resolve

    def walk(viewset):
        yield viewset
        for child in getattr(viewset, "viewsets", None) or []:
            yield from walk(child)

    found = []
    for viewset in admin_viewsets.viewsets:
        for item in walk(viewset):
            if isinstance(item, ModelViewSet):
                found.append(item)
    return found


def _region_path(instance) -> str | None:
    field = getattr(type(instance), "REGION_FIELD", "region")
    target = instance
    if field == "":
        return target.path
    for part in field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target.path


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for this module's tests (per xdist process) inside a transaction that
    is rolled back after the last of them; each test runs in a savepoint of its own (``db``)."""
    from django.db import transaction
    from django.test import override_settings

    index_dir = tmp_path_factory.mktemp("match-index")  # never the demo's index in var/
    with django_db_blocker.unblock(), override_settings(MATCH_INDEX_DIR=index_dir), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _pick_instance(model):
    """A record inside 定城镇 (so township users of 炉桥镇 and the neighbour county are outside)."""
    candidates = model._default_manager.all().order_by("pk")[:400]
    fallback = None
    for instance in candidates:
        path = _region_path(instance)
        if path and path.startswith(INSIDE):
            return instance
        if path and fallback is None and path.startswith("341125/"):
            fallback = instance
    return fallback


# The matrix's columns, enumerated when the tests are collected (one test each, so that pytest-xdist
# spreads them over its processes): the admin viewsets, the API's GET endpoints, the /me/ routes.
VIEWSETS = _all_model_viewsets()
SCOPED_VIEWSETS = [v for v in VIEWSETS if isinstance(v, ScopedModelViewSet)]


def test_only_wagtail_settings_screens_are_unscoped():
    # Every staff screen of the project is a scoped viewset; Wagtail's own (sites, users, groups) are
    # settings screens that no project role has permission for.
    unscoped = {v.model._meta.label for v in VIEWSETS if not isinstance(v, ScopedModelViewSet)}
    assert unscoped <= {"wagtailcore.Site", "core.User", "auth.Group"}, unscoped


@pytest.mark.django_db
@pytest.mark.parametrize("viewset", SCOPED_VIEWSETS, ids=[v.model._meta.label for v in SCOPED_VIEWSETS])
def test_admin_viewset(viewset, world, client):
    from django.urls import reverse

    failures: list[str] = []
    checked = 0
    model = viewset.model
    instance = _pick_instance(model)
    assert instance is not None, (f"{model._meta.label}: no record inside 定远县 to test with "
                                  "(add one to tests/security/world.py)")
    opts = model._meta
    for username, user in world.items():
        perms = {action: user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
                 for action in ("view", "change", "add", "delete")}
        any_perm = any(perms.values())
        in_scope = scope_model(model._default_manager.filter(pk=instance.pk), user).exists()
        client.force_login(user)
        urls = [("index", viewset.get_url_name("index"), None, any_perm)]
        if viewset.inspect_view_enabled and not _disabled(viewset.inspect_view_class):
            urls.append(("inspect", viewset.get_url_name("inspect"), instance.pk, any_perm))
        if not _disabled(viewset.edit_view_class):
            urls.append(("edit", viewset.get_url_name("edit"), instance.pk, perms["change"]))
        for label, url_name, pk, allowed in urls:
            url = reverse(url_name, args=[pk] if pk is not None else [])
            status = client.get(url).status_code
            checked += 1
            if not allowed:
                expected = DENIED
            elif pk is None or in_scope:
                expected = {200}
            else:
                expected = {404}
            if status not in expected:
                failures.append(f"{username:<10} {label:<7} {url} → {status}, expected {sorted(expected)} "
                                f"(perm={allowed}, in_scope={in_scope})")
    # Anonymous: always sent to the login page.
    client.logout()
    status = client.get(reverse(viewset.get_url_name("index"))).status_code
    if status != 302:
        failures.append(f"anonymous index {viewset.model._meta.label} → {status}")
    assert not failures, f"{len(failures)} of {checked}+ checks failed:\n" + "\n".join(failures)


def _disabled(view_class) -> bool:
    return view_class.__name__ == "DisabledView"


def _model_of(callback):
    cls = getattr(callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _visible(queryset, user):
    """The records of ``queryset`` that ``user`` may read through the API: those inside their
    jurisdiction; for a recipient, those of their own household (and nothing else)."""
    if user.role != Role.RECIPIENT:
        return scope_model(queryset, user)
    region_field = getattr(queryset.model, "REGION_FIELD", "region")
    if not region_field.endswith("household__region"):
        return queryset.none()
    return queryset.filter(**{region_field.removesuffix("__region") + "__account": user})


API_GETS = [(path, callback) for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints()
            if path.startswith("/api/v1/") and method == "GET"]
API_LISTS = [(path, callback) for path, callback in API_GETS if "{" not in path]
API_DETAILS = [(path, callback) for path, callback in API_GETS if "{" in path]
LIST_PATHS = {path for path, _ in API_LISTS}
OWN_ONLY_PREFIX = "/api/v1/me/"  # the caller's own records (their household's inbox), never a jurisdiction's


def test_api_endpoints_found():
    assert API_GETS, "no API endpoints found"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "callback"), API_LISTS, ids=[path for path, _ in API_LISTS])
def test_api_list(path, callback, world, client):
    failures = []
    client.logout()
    status = client.get(path).status_code
    if path in PUBLIC_GET:
        if status != 200:
            failures.append(f"anonymous GET {path} → {status}, expected 200 (public)")
    elif status not in (401, 403):
        failures.append(f"anonymous GET {path} → {status}, expected 401/403")
    model = _model_of(callback)
    for username, user in world.items():
        client.force_login(user)
        response = client.get(path)
        if response.status_code not in (200, 403):
            failures.append(f"{username} GET {path} → {response.status_code}, expected 200 or 403")
            continue
        if response.status_code != 200 or model is None or not hasattr(model, "REGION_FIELD") and model is not Region:
            continue
        body = response.json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row] if isinstance(rows, list) else []
        if ids:
            visible = _visible(model._default_manager.filter(pk__in=ids), user).count()
            if visible != len(set(ids)):
                failures.append(f"{username} GET {path}: {len(set(ids)) - visible} records outside jurisdiction")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "callback"), API_DETAILS, ids=[path for path, _ in API_DETAILS])
def test_api_detail(path, callback, world, client):
    model = _model_of(callback)
    if model is None or not hasattr(model, "REGION_FIELD"):
        return  # not a scoped record (nothing to leak by jurisdiction)
    instance = _pick_instance(model)
    assert instance is not None, f"API {path}: no {model._meta.label} in the world (tests/security/world.py)"
    lookup = re.search(r"\{(\w+)\}", path).group(1)
    value = getattr(instance, "code" if lookup == "code" else "pk")
    url = re.sub(r"\{\w+\}", str(value), path, count=1)
    if "{" in url:
        return  # nested routes with two parameters are covered by their own tests
    list_path = path[: path.index("{")]
    failures = []
    for username, user in world.items():
        client.force_login(user)
        status = client.get(url).status_code
        in_scope = _visible(model._default_manager.filter(pk=instance.pk), user).exists()
        may_list = client.get(list_path).status_code == 200 if list_path in LIST_PATHS else True
        if path.startswith(OWN_ONLY_PREFIX):
            expected = {200} if in_scope and user.role == Role.RECIPIENT else {404}
        elif not may_list:
            expected = {403, 404}
        elif in_scope and user.role == Role.RECIPIENT:
            expected = {200, 404}  # their own household's: the endpoint decides whether recipients read it
        else:
            expected = {200} if in_scope else {404}
        if status not in expected:
            failures.append(f"{username} GET {url} → {status}, expected {sorted(expected)} (in_scope={in_scope})")
    client.logout()
    status = client.get(url).status_code
    if status not in (401, 403, 404):
        failures.append(f"anonymous GET {url} → {status}")
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------ self-service pages (/me/…)


def _own_seeker(household):
    from jobs.models import JobSeeker

    return JobSeeker.objects.get(member__household=household)


def _own_training_enrolment(household):
    from training.models import TrainingEnrolment

    return TrainingEnrolment.objects.get(member__household=household)


def _own_notification(household):
    from notifications.models import Notification

    return Notification.objects.get(household=household, channel="inbox")


# Pages under /me/ that show no household data at all: the hub is a menu (with a pointer to the admin
# for staff), so any logged-in user may see it.
SELF_SERVICE_MENU_ONLY = {"me/"}

# (URL name, parameter) → the record of a given household that the parameter names.
SELF_SERVICE_RECORDS = {
    ("jobs:profile", "member_id"): lambda household: household.members.order_by("pk").first(),
    ("jobs:matches", "seeker_id"): _own_seeker,
    ("training:withdraw", "pk"): _own_training_enrolment,
    ("notifications:read", "pk"): _own_notification,
}


def _self_service_routes() -> list[tuple[str, str]]:
    """(route, namespaced URL name) of every URL under /me/ in the default language."""
    from django.urls import URLPattern, URLResolver

    routes = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                routes.append((prefix + str(pattern.pattern), name))

    walk(get_resolver().url_patterns, "", None)
    return [(route, name) for route, name in routes if route.startswith("me/")]


SELF_SERVICE_ROUTES = _self_service_routes()


def test_self_service_routes_found():
    assert len(SELF_SERVICE_ROUTES) >= 8, SELF_SERVICE_ROUTES  # benefits, jobs, training and the hub all have pages


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), SELF_SERVICE_ROUTES, ids=[route for route, _ in SELF_SERVICE_ROUTES])
def test_self_service_route(route, name, world, client):
    from benefits.models import Household

    failures = []
    owner, other = world["recipient"], world["recipient2"]
    own_household = Household.objects.get(account=owner)
    assert Household.objects.get(account=other) != own_household
    staff = [name for name, user in world.items() if user.role != Role.RECIPIENT]
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = {}
    for param in params:
        finder = SELF_SERVICE_RECORDS.get((name, param))
        assert finder is not None, f"self-service {route} ({name}): add ({name!r}, {param!r}) to SELF_SERVICE_RECORDS"
        values[param] = finder(own_household).pk
    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    client.logout()
    status = client.get(url).status_code
    if status != 302:
        failures.append(f"anonymous GET {url} → {status}, expected 302 to the login page")
    client.force_login(owner)
    own_status = client.get(url).status_code
    if own_status not in (200, 405):
        failures.append(f"recipient GET {url} (own household) → {own_status}, expected 200")
    method = client.post if own_status == 405 else client.get  # a POST-only action is tried by POST
    for username in staff:
        client.force_login(world[username])
        status = method(url).status_code
        if route in SELF_SERVICE_MENU_ONLY and status == 200:
            continue
        if status not in (403, 404):
            failures.append(f"{username} {method.__name__.upper()} {url} → {status}, "
                            "expected 403/404 (no household)")
    if params:
        client.force_login(other)
        status = method(url).status_code
        if status != 404:
            failures.append(f"recipient of another household {method.__name__.upper()} {url} → {status}, "
                            "expected 404")
    client.logout()
    assert not failures, "\n".join(failures)
