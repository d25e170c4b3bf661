"""What every command module shares: the global options, the store and error handling.

Kept apart from ``cli.py`` so that command groups in other packages
(``knowledge.cli``, ``share.cli``, ``cli_checks``) can use them without importing the
whole command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy import Engine

from pactwatch import console
from pactwatch.errors import PactwatchError
from pactwatch.settings import Settings, get_settings


class State:
    database: str | None = None
    allow_private: bool = False


state = State()


def current_settings() -> Settings:
    settings = get_settings()
    updates: dict[str, object] = {}
    if state.database:
        updates["database_url"] = state.database
    if state.allow_private:
        updates["allow_private"] = True
    return settings.model_copy(update=updates) if updates else settings


def open_engine(settings: Settings) -> Engine:
    from pactwatch.store.engine import open_store

    return open_store(settings.resolved_database_url())


@contextmanager
def user_errors() -> Iterator[None]:
    """An error of ours becomes one red line on stderr and exit code 2, no traceback."""
    try:
        yield
    except PactwatchError as error:
        console.err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(code=2) from None


def display_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    from pactwatch.store.engine import normalise_database_url

    return make_url(normalise_database_url(settings.resolved_database_url())).render_as_string(
        hide_password=True
    )


def display_path(settings: Settings) -> str:
    url = display_url(settings)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return url
