"""Permissions of integrity records per role (synced into groups; scoping decides which records)."""

from reemployment.core.models import Role

_VIEW = ["integrity.view_cadrerelative", "integrity.view_tipoff", "integrity.view_fraudcase",
         "integrity.view_deathreport"]
_WORK = ["integrity.add_cadrerelative", "integrity.change_cadrerelative", "integrity.add_tipoff",
         "integrity.change_tipoff", "integrity.add_deathreport", "integrity.confirm_deathreport",
         "integrity.add_fraudcase"]

ROLE_PERMISSIONS = {
    # Community/village and township staff see their jurisdiction's records, receive tip-offs,
    # register cadre relatives, report deaths (and confirm or reject deaths received from department
    # files) and open fraud cases.
    Role.COMMUNITY: [*_VIEW, *_WORK],
    Role.TOWNSHIP: [*_VIEW, *_WORK],
    # County staff also decide fraud cases.
    Role.COUNTY: [*_VIEW, *_WORK, "integrity.change_fraudcase"],
}
# The system administrator reads everything (core.roles adds every view_ permission) and changes nothing here.
