"""What the ``export`` and ``collections`` commands share: an engine opened for one
command, and the parsing of the filter options (``--since``, ``--until``, ``--country``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import Engine

from pactwatch.cli_common import current_settings, open_engine
from pactwatch.errors import InputError


@contextmanager
def command_engine() -> Iterator[Engine]:
    """The store's engine for one command, disposed of when it ends."""
    engine = open_engine(current_settings())
    try:
        yield engine
    finally:
        engine.dispose()


def parse_day(value: str | None, option: str) -> date | None:
    """``value`` of ``option`` as a date (YYYY-MM-DD), or None when not given."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def parse_country(value: str | None, *, code: str = "ISO 3166-1 alpha-3 code") -> str | None:
    """``--country`` as the ISO3 code of a country we know, or None when not given;
    ``code`` names the kind of code the error asks for."""
    if value is None:
        return None
    from pactwatch.knowledge import load_knowledge

    found = load_knowledge().country(value)
    if found is None:
        raise InputError(f"--country {value!r} is not a country we know; use an {code}")
    return found.code
