"""Reads of county onboarding, scoped to the user's jurisdiction (a record outside it is not found)."""

from __future__ import annotations

from django.db.models import QuerySet

from benefits.onboarding.models import CaseloadImport, ImportDiscrepancy
from reemployment.core.scoping import scope_model


def imports_for(user) -> QuerySet:
    return scope_model(CaseloadImport.objects.select_related("county", "uploaded_by", "confirmed_by"), user)


def discrepancies_for(user, caseload_import: CaseloadImport) -> QuerySet:
    return scope_model(ImportDiscrepancy.objects.filter(caseload_import=caseload_import)
                       .select_related("region", "review"), user).order_by("row")
