"""Fixtures of the public-site tests: the statutes and starter content (tests.laws.factories)."""

from tests.laws.factories import library, practice_library  # noqa: F401
