"""Providers, courses, enrolments, completion, placement, output rates."""
