"""Wagtail pages, blocks, snippets, site settings: the public portal."""
