"""The dashboard's FastAPI app: ``create_app(settings, engine)``.

One process serves the pages, the REST API (``/api/v1``) and static files. The app holds
the engine and settings on ``app.state``; routers are plain modules (``auth_routes``,
``pages``, ``api``, ``reviews``) included here. Every response carries the security
headers of ``security.SECURITY_HEADERS``; errors are JSON under ``/api/`` and a page
elsewhere; a page without a login redirects to ``/login``.
"""

from __future__ import annotations

import contextlib
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pactwatch import __version__
from pactwatch.settings import Settings
from pactwatch.share.taxii import router as taxii_router
from pactwatch.web import api, auth_routes, pages, partner_pages, security
from pactwatch.web.deps import (
    LoginRequired,
    PasswordChangeRequired,
    is_api_request,
    optional_user,
)
from pactwatch.web.templating import STATIC_DIR, render

OPENAPI_URL = "/api/v1/openapi.json"


class SecurityHeadersMiddleware:
    """Adds the security headers to every response; ``no-store`` outside /static/."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        headers = dict(security.SECURITY_HEADERS)
        if hsts:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in self.headers if h[0] not in present]
                if not cacheable and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error_page(request: Request, status_code: int, detail: str) -> Response:
    # The menu of a logged-in user on the error page; an error page renders whatever failed.
    with contextlib.suppress(Exception):
        optional_user(request)
    try:
        title = HTTPStatus(status_code).phrase
    except ValueError:
        title = "Error"
    context = {"status_code": status_code, "title": title, "detail": detail}
    return render(request, "error.html", context, status_code)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(
            f"/login?next={quote(exc.next_path, safe='/')}", status.HTTP_303_SEE_OTHER
        )

    @app.exception_handler(PasswordChangeRequired)
    async def password_change(request: Request, exc: PasswordChangeRequired) -> Response:
        return RedirectResponse("/account", status.HTTP_303_SEE_OTHER)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api_request(request) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is no page at this address."
        response = _error_page(request, exc.status_code, detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Runs in Starlette's outermost middleware (which re-raises, so the error is
        # still logged), outside SecurityHeadersMiddleware: add the headers here.
        response: Response
        if is_api_request(request):
            response = JSONResponse({"detail": "internal error"}, status_code=500)
        else:
            response = render(
                request,
                "error.html",
                {
                    "status_code": 500,
                    "title": "Internal Server Error",
                    "detail": "Something went wrong on our side; the error has been logged.",
                },
                500,
            )
        response.headers.update(security.SECURITY_HEADERS)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api_request(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error.get('loc', ())[1:]) or 'input'}: {error.get('msg')}"
            for error in exc.errors()
        )
        return _error_page(request, 422, f"Some of the input is not valid ({problems}).")


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """The dashboard and API over ``engine``; nothing is read or written until a request."""
    app = FastAPI(
        title="pactwatch",
        version=__version__,
        description="Partnership events, actors, documents, alerts and reviews as JSON.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not offline, not CSP
        redoc_url=None,
        openapi_url=OPENAPI_URL,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.login_limiter = security.LoginRateLimiter()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(auth_routes.router)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(partner_pages.router)
    app.include_router(taxii_router)  # /taxii2/: partners authenticate on their own
    _install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    return app
