"""Permissions of the payroll per role (synced into groups; scoping decides which records)."""

from reemployment.core.models import Role

_READ = ["payroll.view_payrollrun", "payroll.view_paymentline", "payroll.view_overpayment"]

ROLE_PERMISSIONS = {
    # County civil-affairs staff run, review and lock the payroll, download bank files, decide recoveries.
    Role.COUNTY: [*_READ, "payroll.add_payrollrun", "payroll.change_payrollrun", "payroll.change_overpayment"],
    # Townships follow up recoveries in their area (read only).
    Role.TOWNSHIP: ["payroll.view_overpayment"],
}
# The system administrator reads everything (core.roles adds every view_ permission) and changes nothing here.
