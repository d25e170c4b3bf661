"""Jinja2 templates of the dashboard and ``render``, which every page goes through.

``render`` adds what ``base.html`` needs: ``user`` (or None), ``csrf_token`` (put it in
every POST form as ``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">``),
``nav`` (the menu for the user's role, with the current section marked) and ``version``.

The Content-Security-Policy is ``default-src 'self'``: no inline ``<script>``, no
``style="..."`` attribute, no CDN. Put scripts and styles in ``web/static/`` and draw
charts as SVG with presentation attributes (``fill``, ``width``), which the policy allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pactwatch import __version__
from pactwatch.web.users import User

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    role: str  # the lowest role that sees the item
    active: bool = False


NAV: tuple[NavItem, ...] = (
    NavItem("Overview", "/", "viewer"),
    NavItem("Events", "/events", "viewer"),
    NavItem("Actors", "/actors", "viewer"),
    NavItem("Documents", "/documents", "viewer"),
    NavItem("Alerts", "/alerts", "viewer"),
    NavItem("Assessments", "/assessments", "viewer"),
    NavItem("Partners", "/partners", "viewer"),
    NavItem("Admin", "/admin/users", "admin"),
)


def _is_active(item: NavItem, path: str) -> bool:
    if item.href == "/":
        return path == "/"
    section = "/admin" if item.href.startswith("/admin") else item.href
    return path == section or path.startswith(section + "/")


def nav_for(user: User | None, path: str) -> list[NavItem]:
    """The menu a user sees (none before login), the current section marked active."""
    if user is None:
        return []
    return [
        NavItem(item.label, item.href, item.role, _is_active(item, path))
        for item in NAV
        if user.at_least(item.role)
    ]


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The template ``name`` rendered with ``context`` plus user, csrf_token, nav, version."""
    user: User | None = getattr(request.state, "user", None)
    full: dict[str, Any] = {
        "user": user,
        "csrf_token": getattr(request.state, "csrf_token", None) or "",
        "nav": nav_for(user, request.url.path),
        "version": __version__,
    }
    full.update(context or {})
    return templates.TemplateResponse(request, name, full, status_code=status_code)
