"""One typed settings object, read once.

Values come, lowest priority first, from the defaults below, a ``pactwatch.toml`` in the
working directory (or the file named by ``PACTWATCH_CONFIG``), and ``PACTWATCH_*``
environment variables. Every field has a help line; ``docs/settings.md`` lists them all
and a test checks that the two agree.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_data_dir() -> Path:
    """Where the default SQLite store lives: ``$XDG_DATA_HOME/pactwatch``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pactwatch"


class Settings(BaseSettings):
    """Every setting of pactwatch, with its default and a help line."""

    model_config = SettingsConfigDict(env_prefix="PACTWATCH_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the default SQLite store and run files.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; unset means a SQLite file in data_dir.",
    )
    user_agent: str = Field(
        default="pactwatch/0.1 (+https://github.com/pactwatch/pactwatch; news monitoring)",
        description="User-Agent sent with every HTTP request and matched against robots.txt.",
    )
    connect_timeout: float = Field(
        default=10.0, description="Seconds to wait for a TCP/TLS connection."
    )
    read_timeout: float = Field(default=20.0, description="Seconds to wait for data from a server.")
    max_download_bytes: int = Field(
        default=10 * 1024 * 1024, description="Largest response body read from a URL, in bytes."
    )
    max_redirects: int = Field(default=5, description="Most redirects followed for one URL.")
    allow_private: bool = Field(
        default=False,
        description="Allow fetching URLs that resolve to loopback or private addresses.",
    )
    near_duplicate_threshold: float = Field(
        default=0.8,
        description=(
            "Jaccard similarity of word shingles at or above which two texts are one story."
        ),
    )
    shingle_size: int = Field(
        default=5, description="Words per shingle for near-duplicate detection."
    )
    minhash_permutations: int = Field(
        default=128, description="MinHash permutations; more is more exact and slower."
    )
    date_order: str = Field(
        default="DMY",
        description=(
            "Order of day, month and year when a date in the text is ambiguous (DMY or MDY)."
        ),
    )
    batch_size: int = Field(
        default=200, description="Documents written to the store per transaction on the bulk path."
    )
    workers: int = Field(
        default=0,
        description=(
            "Processes for the documents stage on large inputs; 0 means one per core (at most 4)."
        ),
    )
    max_file_bytes: int = Field(
        default=50 * 1024 * 1024, description="Largest input file read, in bytes."
    )
    knowledge_dirs: list[Path] = Field(
        default_factory=list,
        description="Extra folders of knowledge YAML files, merged over the bundled ones.",
    )
    web_host: str = Field(
        default="127.0.0.1",
        description="Address `pactwatch serve` listens on (loopback unless `serve --public`).",
    )
    web_port: int = Field(default=8000, description="Port `pactwatch serve` listens on.")
    session_hours: float = Field(
        default=12.0, description="Hours a dashboard login lasts before it must be renewed."
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark session cookies Secure (set it when serving behind HTTPS).",
    )
    alert_rules: Path | None = Field(
        default=None,
        description="YAML file of alert rules; unset means the bundled default rules.",
    )
    alert_log: Path | None = Field(
        default=None,
        description="JSON Lines file alerts are appended to; unset means alerts.jsonl in data_dir.",
    )
    webhook_url: str | None = Field(
        default=None, description="URL alerts are POSTed to as JSON; unset means no webhook."
    )
    taxii_max_content_length: int = Field(
        default=10 * 1024 * 1024,
        description="Largest TAXII request body accepted, in bytes (413 above it).",
    )
    webhook_retries: int = Field(
        default=4, description="Attempts to deliver one alert to the webhook (backoff between)."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("PACTWATCH_CONFIG", "pactwatch.toml"))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_path))

    def resolved_database_url(self) -> str:
        """The store URL, defaulting to a SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'pactwatch.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
