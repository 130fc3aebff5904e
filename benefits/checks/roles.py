"""Permissions of department checks per role (synced into groups after migrate).

County staff upload files and see everything of their county; township and community staff see
and resolve the flags of their jurisdiction. Scoping decides which records.
"""

from reemployment.core.models import Role

_SEE_AND_RESOLVE = ["checks.view_flag", "checks.change_flag", "checks.resolve_flag", "checks.view_followup", "checks.change_followup",
                    "checks.view_povertyrosterentry", "checks.view_reports"]

ROLE_PERMISSIONS = {
    Role.COMMUNITY: _SEE_AND_RESOLVE,
    Role.TOWNSHIP: _SEE_AND_RESOLVE,
    Role.COUNTY: _SEE_AND_RESOLVE + ["checks.view_departmentfile", "checks.add_departmentfile",
                                     "checks.upload_departmentfile"],
    Role.ADMIN: _SEE_AND_RESOLVE + ["checks.view_departmentfile", "checks.add_departmentfile",
                                    "checks.upload_departmentfile"],
    Role.LABOUR: ["checks.view_reports"],
}
