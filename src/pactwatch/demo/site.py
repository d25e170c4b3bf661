"""Serve a folder of files as a web site to httpx, with no network: the demo's news site.

``LocalSiteTransport`` answers requests for one host from files under a root folder, with
the content types, 404s, ETag and Last-Modified handling of a plain static web server.
The demo's RSS feed and pages go through the real fetcher (robots.txt, SSRF guard,
size caps, redirects, conditional GET) on top of it.
"""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import httpx

TYPES = {
    ".xml": "application/rss+xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class LocalSiteTransport(httpx.BaseTransport):
    """An httpx transport that serves ``root`` as the site ``http://<host>/``."""

    def __init__(self, root: Path, host: str) -> None:
        self.root = root.resolve()
        self.host = host

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != self.host:
            return httpx.Response(502, text=f"no route to {request.url.host}")
        if request.method not in {"GET", "HEAD"}:
            return httpx.Response(405)
        relative = PurePosixPath(unquote(request.url.path)).relative_to("/")
        path = (self.root / relative).resolve()
        # Refuse anything that escapes the root (../ or symlinks).
        if not path.is_relative_to(self.root) or not path.is_file():
            return httpx.Response(404, text="not found")
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = formatdate(path.stat().st_mtime, usegmt=True)
        headers = {
            "content-type": TYPES.get(path.suffix)
            or (mimetypes.guess_type(path.name)[0] or "application/octet-stream"),
            "etag": etag,
            "last-modified": modified,
        }
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers=headers)
        return httpx.Response(200, headers=headers, content=body)
