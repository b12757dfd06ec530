"""Fixtures of the law-library tests (see :mod:`tests.laws.factories`)."""

from tests.laws.factories import library, practice_library  # noqa: F401
