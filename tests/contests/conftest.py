"""Fixtures of the competition tests (see :mod:`tests.contests.factories`)."""

from tests.contests.factories import competition  # noqa: F401
