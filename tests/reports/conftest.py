"""Fixtures of the reports tests: the shipped statutes for the law-page counter."""

from tests.laws.factories import library  # noqa: F401
