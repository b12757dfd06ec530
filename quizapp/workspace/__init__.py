"""The staff workspace shell: the ``/staff/`` dashboard, the menu and dashboard panels.

Domains add their pages with their own blueprints and call :func:`register_nav` and
:func:`register_panel` when their staff module is imported (see docs/workspace.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/staff", template_folder="templates")


@dataclass(frozen=True)
class NavEntry:
    """A menu entry: Chinese label, endpoint, the roles that see it (any of), sort order."""

    label: str
    endpoint: str
    roles: tuple[str, ...]
    order: int


NAV: dict[str, NavEntry] = {}
PANELS: dict[str, tuple[int, Callable[[], str]]] = {}


def register_nav(label: str, endpoint: str, roles: tuple[str, ...] = ("admin", "editor", "reviewer"), order: int = 50) -> None:
    """Add (or replace, by endpoint) a workspace menu entry shown to users with any of *roles*."""
    NAV[endpoint] = NavEntry(label, endpoint, tuple(roles), order)


def register_panel(render: Callable[[], str], order: int = 50) -> None:
    """Add a dashboard panel: *render()* returns HTML (Markup) for the current user, or "" to hide it."""
    PANELS[f"{render.__module__}.{render.__qualname__}"] = (order, render)


def nav_for(user) -> list[NavEntry]:
    """Return the menu entries *user* may see, in order."""
    return sorted((entry for entry in NAV.values() if user.has_role(*entry.roles)), key=lambda entry: (entry.order, entry.label))


def panels() -> list[Callable[[], str]]:
    """Return the dashboard panel renderers, in order."""
    return [render for _, render in sorted(PANELS.values(), key=lambda pair: pair[0])]
