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
* API: every endpoint × method (from the URL configuration) × role has its expected answer in the
  table of docs/security.md (✓ allowed, — denied, own: a recipient's own household), which this test
  reads: a row missing from the table, or a row for an endpoint that no longer exists, fails. Denied →
  403 (401/403 anonymous); allowed → a list answers 200 with records inside the caller's jurisdiction
  only, a record 200 inside and 404 outside, a write gets past the permission check. Under
  ``/api/v1/me/`` a record is the caller's own or nothing: 404 for everyone but its household's recipient.
* Object actions (<pk>/do/<action>/ and create/<action>/ of every actions viewset): without the model
  permission → 403 before the record is read, never the form.
* Every scoped model has a record in the world, so no viewset escapes the matrix by being empty.
* Self-service pages (every route under /me/, found in the URL configuration): anonymous → 302 to
  the login page; staff → 403/404 (they have no household); the recipient → 200 on their own
  household's records (405 for a POST-only action); the recipient of another household → 404 on
  those same records, by GET or POST. A new route whose URL parameter is not in
  ``SELF_SERVICE_RECORDS`` fails the test until it is added.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import get_resolver
from drf_spectacular.generators import EndpointEnumerator
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from reemployment.core.admin_actions import ActionsMixin
from reemployment.core.admin_views import ScopedModelViewSet
from reemployment.core.models import Region, Role
from reemployment.core.scoping import regions_for, scope_model
from tests.security.world import detail_target, model_of_endpoint, pick_instance

# A refusal: to the login page or dashboard (302), forbidden (403), or not found (404: Wagtail fetches
# the object before checking the permission, and a 404 does not even tell that the record exists).
DENIED = {302, 403, 404}
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
    instance = pick_instance(model)
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


def _visible(queryset, user):
    """The records of ``queryset`` that ``user`` may read through the API: those inside their
    jurisdiction; for a recipient, those of their own household (and nothing else)."""
    if user.role != Role.RECIPIENT:
        return scope_model(queryset, user)
    region_field = getattr(queryset.model, "REGION_FIELD", "region")
    if not region_field.endswith("household__region"):
        return queryset.none()
    return queryset.filter(**{region_field.removesuffix("__region") + "__account": user})


# The API matrix: every endpoint × method × role, expected answers read from the table in docs/security.md.
API_ENDPOINTS = [(path, method, callback) for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints()
                 if path.startswith("/api/v1/")]
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TABLE_START, TABLE_END = "<!-- api-permission-matrix:start -->", "<!-- api-permission-matrix:end -->"
# The table's columns, in order, and the world's logins of each: inside and outside 定城镇.
COLUMNS = {
    "anonymous": [],
    "recipient": ["recipient", "recipient2"],
    "community": ["chengnan", "luqiaocun"],
    "township": ["dingcheng", "luqiao", "township2"],
    "county": ["county", "county2"],
    "labour": ["labour", "labour2"],
    "editor": ["editor"],
    "admin": ["sysadmin"],
    "superuser": ["admin"],
}
CELLS = {"✓": "allowed", "—": "denied", "own": "own household"}
OWN_ONLY_PREFIX = "/api/v1/me/"  # the caller's own records (their household's inbox), never a jurisdiction's


def read_api_matrix(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """The table between the markers in docs/security.md: (path, method) → {column: cell}."""
    if TABLE_START not in text or TABLE_END not in text:
        raise AssertionError(f"docs/security.md has no API permission table ({TABLE_START} … {TABLE_END})")
    body = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    rows = [line for line in body.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["endpoint", "method", *COLUMNS], f"API table columns: {header}"
    table = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        path, method, *marks = cells
        key = (path.strip("`"), method)
        assert key not in table, f"API table: {key} listed twice"
        assert len(marks) == len(COLUMNS) and set(marks) <= set(CELLS), f"API table row {line!r}"
        table[key] = dict(zip(COLUMNS, marks, strict=True))
    return table


API_MATRIX = read_api_matrix(DOC.read_text(encoding="utf-8"))


def _row_template(path: str, method: str) -> str:
    return f"| `{path}` | {method} | " + " | ".join("?" for _ in COLUMNS) + " |"


def test_api_table_lists_every_endpoint_once():
    """The doc's table and the URL configuration agree: no endpoint without its row, no stale row."""
    found = {(path, method) for path, method, _ in API_ENDPOINTS}
    missing = sorted(found - API_MATRIX.keys())
    stale = sorted(API_MATRIX.keys() - found)
    assert not missing and not stale, (
        "docs/security.md API permission table is out of date.\nAdd:\n"
        + "\n".join(_row_template(*key) for key in missing) + "\nRemove:\n" + "\n".join(map(str, stale)))
    assert len(found) >= 30, found


def _visible_record(instance, user) -> bool:
    if isinstance(instance, Region):
        return regions_for(user).filter(pk=instance.pk).exists()
    return _visible(type(instance)._default_manager.filter(pk=instance.pk), user).exists()


def _call(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    # A body no endpoint accepts (a JSON list): an allowed caller gets past the permission check to a
    # 400 (or 404/415), so nothing is changed; a refused one gets 403 before the body is read.
    return getattr(client, method.lower())(url, data="[]", content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "callback"), API_ENDPOINTS,
                         ids=[f"{method} {path}" for path, method, _ in API_ENDPOINTS])
def test_api_endpoint(path, method, callback, world, client):
    """One row of the table, for every login of every column.

    * denied (—): 403 for a logged-in user; 401/403 for anonymous.
    * allowed (✓, own): a list answers 200 and every record in it lies inside the caller's jurisdiction
      (a recipient: their own household); a record answers 200 inside, 404 outside; a write gets past
      the permission check (anything but 401/403/405 and 5xx) with a body no endpoint accepts.
    """
    expected_row = API_MATRIX.get((path, method))
    assert expected_row is not None, f"add {_row_template(path, method)} to docs/security.md"
    model = model_of_endpoint(callback)
    detail = "{" in path
    url, instance = detail_target(path, callback) if detail else (path, None)
    failures = []
    client.logout()
    status = _call(client, method, url).status_code
    if expected_row["anonymous"] == "—" and status not in (401, 403):
        failures.append(f"anonymous {method} {url} → {status}, expected 401/403")
    if expected_row["anonymous"] != "—" and (status in (401, 403, 405) or status >= 500):
        failures.append(f"anonymous {method} {url} → {status}, expected allowed")
    for column, usernames in COLUMNS.items():
        cell = expected_row[column]
        for username in usernames:
            user = world[username]
            client.force_login(user)
            response = _call(client, method, url)
            status = response.status_code
            if cell == "—":
                if status != 403:
                    failures.append(f"{username} ({column}) {method} {url} → {status}, expected 403 (table: —)")
                continue
            if method != "GET":
                if status in (401, 403, 405) or status >= 500:
                    failures.append(f"{username} ({column}) {method} {url} → {status}, expected allowed (table: {cell})")
                continue
            if detail:
                # Under /api/v1/me/ a record is the caller's own or nothing: a household's inbox message is
                # its recipient's, never a jurisdiction's (staff get 404 whatever their region).
                own_only = path.startswith(OWN_ONLY_PREFIX) and user.role != Role.RECIPIENT
                want = 200 if _visible_record(instance, user) and not own_only else 404
                if status != want:
                    failures.append(f"{username} ({column}) GET {url} → {status}, expected {want} (table: {cell})")
                continue
            if status != 200:
                failures.append(f"{username} ({column}) GET {url} → {status}, expected 200 (table: {cell})")
                continue
            if model is None or (not hasattr(model, "REGION_FIELD") and model is not Region):
                continue
            body = response.json()
            rows = body.get("results", body) if isinstance(body, dict) else body
            ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row] if isinstance(rows, list) else []
            if ids:
                visible = _visible(model._default_manager.filter(pk__in=ids), user).count()
                if visible != len(set(ids)):
                    failures.append(f"{username} GET {url}: {len(set(ids)) - visible} records outside jurisdiction")
    client.logout()
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


# ------------------------------------------------------------------ object actions (<pk>/do/<action>/)

ACTION_VIEWSETS = [v for v in SCOPED_VIEWSETS if isinstance(v, ActionsMixin) and (v.object_actions or v.create_actions)]


def test_action_viewsets_found():
    labels = {v.model._meta.label for v in ACTION_VIEWSETS}
    assert {"benefits.Household", "benefits.Application", "jobs.SanctionProposal"} <= labels, labels


@pytest.mark.django_db
@pytest.mark.parametrize("viewset", ACTION_VIEWSETS, ids=[v.model._meta.label for v in ACTION_VIEWSETS])
def test_admin_actions(viewset, world, client):
    """Every registered action × every login: without the action's model permission (and, on a record,
    the model's view permission) the form is never rendered — 403 before the record is read; with
    them, the form (200) inside the jurisdiction, 404 outside, or 403 when the action is not available
    for the record and the viewset refuses unavailable actions. Anonymous → the login page."""
    from django.urls import reverse

    instance = pick_instance(viewset.model)
    assert instance is not None, f"{viewset.model._meta.label}: no record in the world"
    cases = [(name, spec, True) for name, spec in viewset.object_actions.items()]
    cases += [(name, spec, False) for name, spec in viewset.create_actions.items()]
    failures, checked = [], 0
    for name, spec, on_record in cases:
        url = (reverse(viewset.get_url_name("action"), args=(instance.pk, name)) if on_record
               else reverse(viewset.get_url_name("create"), args=(name,)))
        for username, user in world.items():
            client.force_login(user)
            response = client.get(url)
            checked += 1
            allowed = user.has_perms(viewset.required_permissions(spec, on_record=on_record))
            in_scope = not on_record or scope_model(viewset.model._default_manager.filter(pk=instance.pk),
                                                    user).exists()
            if not allowed:
                # Wagtail's admin sends a recipient (no admin access) to the login page first.
                expected = {302, 403}
            elif not in_scope:
                expected = {404}
            elif viewset.refuse_unavailable and not spec.available(user, instance if on_record else None):
                expected = {403}
            else:
                expected = {200}
            if response.status_code not in expected or (not allowed and b"<form" in response.content):
                failures.append(f"{username:<10} GET {url} → {response.status_code}, expected {sorted(expected)} "
                                f"(perm={allowed}, in_scope={in_scope})")
        client.logout()
        status = client.get(url).status_code
        if status != 302:
            failures.append(f"anonymous GET {url} → {status}, expected 302 to the login page")
    assert not failures, f"{len(failures)} of {checked} checks failed:\n" + "\n".join(failures)
