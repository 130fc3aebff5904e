"""Permissions of county onboarding per role (synced into groups after migrate).

Importing and exporting a county's whole caseload is county civil-affairs business: county staff only
(the services check the role and the jurisdiction again). The system administrator sees the records.
"""

from reemployment.core.models import Role

ROLE_PERMISSIONS = {
    Role.COUNTY: ["onboarding.view_caseloadimport", "onboarding.import_caseload", "onboarding.export_caseload",
                  "onboarding.view_importdiscrepancy"],
}
