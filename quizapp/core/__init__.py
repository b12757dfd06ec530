"""Shared building blocks: the UTC column type, time helpers and API errors."""
