"""Fixtures the web tests share: anyio on asyncio, and cheap password hashing.

Import them into a test module (``from web_support import anyio_backend, fast_hashing``)
for pytest to find them there; ``fast_hashing`` is autouse.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from pactwatch.web import security


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def fast_hashing() -> Iterator[None]:
    previous = security.set_password_hasher(
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    yield
    security.set_password_hasher(previous)
