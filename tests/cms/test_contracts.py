"""The portal reads other apps only through their typed public contracts, shares the estimator
with the API, and takes its county from the site setting (PortalSettings)."""

import ast
import dataclasses
import datetime as dt
import pathlib
from decimal import Decimal

from wagtail.models import Site

from benefits import public as benefits_public
from cms import portal
from cms.models import PortalSettings
from jobs import public as jobs_public
from reemployment.core.models import today
from training import public as training_public

CMS = pathlib.Path(portal.__file__).parent
OTHER_APPS = ("benefits", "jobs", "training", "incentives", "reemployment.incentives")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_cms_imports_only_the_public_modules_of_other_apps():
    offending = []
    for path in CMS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module, names in _imports(path):
            app = module.split(".")[0]
            if app not in ("benefits", "jobs", "training"):
                continue
            allowed = module == f"{app}.public" or (module == app and names == ["public"])
            if not allowed:
                offending.append(f"{path.relative_to(CMS)}: {module} {names}")
    assert offending == []


def test_no_import_error_guards_and_no_clock_reads_in_cms():
    for path in CMS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "except ImportError" not in text, path
        if "migrations" not in path.parts:
            assert "date.today" not in text and "now().date()" not in text, path


def test_public_contracts_are_frozen_dataclasses():
    for cls in (benefits_public.EstimateRequest, benefits_public.Estimate, benefits_public.PublicNotice,
                jobs_public.PublicVacancy, training_public.PublicCourse):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls


def test_self_check_and_api_share_the_estimator(client, site):
    # 2 adults, wages 300: per capita 150 < 260 → urban C, 220.00, by either door
    result, error = portal.self_check({"area": "urban", "household_size": 2, "wages": Decimal(300)},
                                      county_code="341125100001", as_of=dt.date(2026, 3, 2))
    assert error is None
    adult = {"birth_date": "1986-01-01", "sex": "M"}
    answer = client.post("/api/v1/eligibility/estimate", {
        "region": "341125100001", "as_of": "2026-03-02", "members": [adult, {**adult, "sex": "F"}],
        "incomes": [{"member": 0, "kind": "wages", "monthly_amount": "300.00"}],
    }, content_type="application/json").json()
    assert (answer["category"], answer["monthly_amount"]) == (result.category, f"{result.monthly_amount:.2f}")
    assert (result.category, str(result.monthly_amount)) == ("C", "220.00")


def test_the_county_comes_from_the_site_setting(client, site, regions):
    assert PortalSettings.for_site(Site.objects.get(is_default_site=True)).county_code == "341125"
    assert "260.00" in client.get("/").content.decode()  # the demo county's 2026 urban standard
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.county_code = regions["other_county"].code  # a county without standards
    settings.save()
    assert "260.00" not in client.get("/").content.decode()


def test_public_notices_are_typed(site):
    assert benefits_public.public_notices(region_code="341125", as_of=today()) == []
