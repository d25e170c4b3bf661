"""What the benchmarks that measure over HTTP share: a fresh PostgreSQL database, an app
served by uvicorn on 127.0.0.1 (a free port) in a thread of this process, and a count of
SQL statements."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from pactwatch.store.engine import normalise_database_url


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


class StatementCounter:
    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


@contextmanager
def fresh_postgres(server_url: str, prefix: str, keep: bool = False) -> Iterator[str]:
    """The URL of a new database ``<prefix>_<random>`` on ``server_url``, dropped after
    (unless ``keep``)."""
    server = create_engine(normalise_database_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(normalise_database_url(server_url)).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"(kept the database {name})")
        else:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
