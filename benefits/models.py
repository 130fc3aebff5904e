"""Households, members, income, standards, applications, enrolments, reviews, payroll, integrity, cross-department checks, reports."""
