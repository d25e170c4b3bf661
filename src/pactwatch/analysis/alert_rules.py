"""Alert rules: the YAML file, its typed rules, and the error that names a bad rule.

The rules are data (``analysis/data/alerts.yaml`` by default, the ``alert_rules`` setting
otherwise) so an analyst adds a watch by editing a file. A rule the code cannot run is
refused when the file is read, with the file, the rule's number and name, the field and
what is wrong, never half-applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from pactwatch.analysis.indicators import Pair, parse_pair
from pactwatch.errors import ConfigError, InputError

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "alerts.yaml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,60}$")
    severity: Literal["info", "warning", "serious"] = "warning"
    description: str = ""


class BaselineRule(_Rule):
    """A week's weighted count above its trailing baseline (the indicators' change test)."""

    kind: Literal["baseline_exceedance"]
    pair: str | None = None
    area: str | None = None
    quad_class: int | None = Field(default=None, ge=1, le=4)
    baseline_weeks: int = Field(default=8, ge=1, le=52)
    alpha: float = Field(default=0.01, gt=0, lt=1)
    min_count: int = Field(default=3, ge=1)
    weeks_back: int = Field(default=1, ge=0, le=12)

    @field_validator("pair")
    @classmethod
    def _pair(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            lo, hi = parse_pair(value)
        except InputError as error:
            raise ValueError(str(error)) from None
        return f"{lo}-{hi}"

    @property
    def parsed_pair(self) -> Pair | None:
        return parse_pair(self.pair) if self.pair else None


class OfficeConflictRule(_Rule):
    """A person stated in an office the reference data gives to someone else."""

    kind: Literal["office_conflict"]


class SilentAreaRule(_Rule):
    """A cooperation area with no event for ``weeks`` full weeks after having had some."""

    kind: Literal["silent_area"]
    weeks: int = Field(ge=1, le=104)
    areas: list[str] = Field(default_factory=list)


Rule = Annotated[BaselineRule | OfficeConflictRule | SilentAreaRule, Field(discriminator="kind")]
_RULE = TypeAdapter(Rule)


def rules_path(configured: Path | None) -> Path:
    return configured if configured is not None else DEFAULT_RULES


def load_rules(path: Path) -> list[BaselineRule | OfficeConflictRule | SilentAreaRule]:
    """The rules of a YAML file; ``ConfigError`` naming the file and rule when one is bad."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"alert rules {path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"alert rules {path}: not valid YAML ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"alert rules {path}: expected a mapping with a list under 'rules'")
    rules: list[BaselineRule | OfficeConflictRule | SilentAreaRule] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["rules"], start=1):
        name = entry.get("name", "?") if isinstance(entry, dict) else "?"
        try:
            rule = _RULE.validate_python(entry)
        except ValidationError as error:
            problems = "; ".join(_problem(e["loc"], e["msg"]) for e in error.errors())
            raise ConfigError(f"alert rules {path}: rule {number} ({name}): {problems}") from None
        if rule.name in seen:
            raise ConfigError(f"alert rules {path}: rule {number} ({name}): name used twice")
        seen.add(rule.name)
        rules.append(rule)
    return rules


def _problem(loc: tuple[int | str, ...], message: str) -> str:
    """``weeks: Field required``: the field, without the rule kind pydantic puts first."""
    kinds = ("baseline_exceedance", "office_conflict", "silent_area")
    fields = [str(p) for p in loc if p not in kinds]
    return f"{'.'.join(fields) or 'rule'}: {message}"
