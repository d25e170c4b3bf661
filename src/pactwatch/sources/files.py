"""Files and folders turned into ``RawItem`` records.

Read: ``.txt`` and ``.md`` (plain text, content type "text"), ``.html`` and ``.htm``
(content type "html"), and ``.jsonl`` (one document per line). Suffixes are matched
without regard to case.

- ``.txt`` and ``.md`` may open with YAML front matter between ``---`` lines, giving
  ``title``, ``outlet`` (or ``source``), ``author``, ``published`` (or ``date``), ``url``
  and ``id``; other keys are ignored. The body is the text after it.
- ``.jsonl``: each line a JSON object with ``text`` or ``html`` (``text`` wins when both
  are there) and optional ``id``, ``url``, ``title``, ``source`` (or ``outlet``),
  ``published``, ``author``. Blank lines are skipped. A bad line is dropped with its
  line number (origin ``path:LINE``); the other lines still come through.
- Folders are read recursively in sorted name order; hidden entries (names starting
  with ".") are skipped, and so, silently, are files of other types. A file of another
  type named explicitly is dropped as ``unsupported``.
- Symbolic links inside a folder are never followed, so a folder cannot lead the reader
  out of its tree: each is dropped as ``symlink`` (name its target to read it). A path
  named explicitly is read even if it is a link: the user chose it.

Nothing here raises for bad input. Drop reasons: ``not_found``, ``unreadable``,
``not_utf8``, ``too_large``, ``empty``, ``unsupported``, ``symlink``,
``malformed_front_matter``, ``malformed_jsonl``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pactwatch.models import ContentType, Dropped, RawItem

CONTENT_TYPES: dict[str, ContentType] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
}
JSONL_SUFFIX = ".jsonl"
SUPPORTED_SUFFIXES = frozenset(CONTENT_TYPES) | {JSONL_SUFFIX}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass(frozen=True, slots=True)
class _Metadata:
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    external_id: str | None = None


class _BadField(ValueError):
    """A metadata field of the wrong type; the message names it."""


def iter_path_items(paths: Iterable[Path], *, max_file_bytes: int) -> Iterator[RawItem | Dropped]:
    """One ``RawItem`` per document in ``paths`` (files and folders), or a ``Dropped``.

    Order is deterministic: paths as given, folder contents sorted by name. Files over
    ``max_file_bytes`` are not read.
    """
    for path in paths:
        yield from _named_path_items(Path(path), max_file_bytes)


def _named_path_items(path: Path, max_file_bytes: int) -> Iterator[RawItem | Dropped]:
    try:
        if not path.exists():
            yield Dropped(str(path), "not_found", "no such file or folder")
        elif path.is_dir():
            yield from _folder_items(path, max_file_bytes)
        elif not path.is_file():
            yield Dropped(str(path), "unsupported", "not a regular file")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            kind = f"{path.suffix} files" if path.suffix else "files without a suffix"
            yield Dropped(
                str(path), "unsupported", f"{kind} are not read (use .txt, .md, .html or .jsonl)"
            )
        else:
            yield from _file_items(path, max_file_bytes)
    except OSError as exc:
        yield Dropped(str(path), "unreadable", f"cannot read it ({exc.strerror or exc})")


def _folder_items(folder: Path, max_file_bytes: int) -> Iterator[RawItem | Dropped]:
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield Dropped(str(folder), "unreadable", f"cannot list the folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                if entry.is_dir() or entry.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield Dropped(
                        str(entry),
                        "symlink",
                        "links inside a folder are not followed; name the target to read it",
                    )
            elif entry.is_dir():
                yield from _folder_items(entry, max_file_bytes)
            elif entry.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue  # other files in a folder are none of our business
            elif not entry.is_file():
                yield Dropped(str(entry), "unsupported", "not a regular file")
            else:
                yield from _file_items(entry, max_file_bytes)
        except OSError as exc:
            yield Dropped(str(entry), "unreadable", f"cannot read it ({exc.strerror or exc})")


def _read_bytes(path: Path, max_file_bytes: int) -> bytes | Dropped:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            return Dropped(origin, "too_large", f"{size} bytes, over the cap of {max_file_bytes}")
        with path.open("rb") as handle:
            # Read one byte past the cap: the size may have changed since stat.
            data = handle.read(max_file_bytes + 1)
    except FileNotFoundError:
        return Dropped(origin, "not_found", "no such file")
    except PermissionError:
        return Dropped(origin, "unreadable", "permission denied")
    except OSError as exc:
        return Dropped(origin, "unreadable", f"cannot read it ({exc.strerror or exc})")
    if len(data) > max_file_bytes:
        return Dropped(origin, "too_large", f"over the cap of {max_file_bytes} bytes")
    if not data:
        return Dropped(origin, "empty", "the file is empty")
    return data


def _not_utf8(origin: str, data: bytes, error: UnicodeDecodeError) -> Dropped:
    bad = data[error.start : error.start + 1].hex()
    return Dropped(
        origin,
        "not_utf8",
        f"not valid UTF-8 (byte 0x{bad} at offset {error.start}); save it as UTF-8",
    )


def _file_items(path: Path, max_file_bytes: int) -> Iterator[RawItem | Dropped]:
    data = _read_bytes(path, max_file_bytes)
    if isinstance(data, Dropped):
        yield data
        return
    suffix = path.suffix.lower()
    if suffix == JSONL_SUFFIX:
        yield from _jsonl_items(path, data)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield _not_utf8(str(path), data, exc)
        return
    yield _document_item(str(path), text, CONTENT_TYPES[suffix])


def _document_item(origin: str, text: str, content_type: ContentType) -> RawItem | Dropped:
    metadata = _Metadata()
    if content_type == "text":
        match = _FRONT_MATTER.match(text)
        if match is not None:
            try:
                metadata = _front_matter(match.group(1))
            except (yaml.YAMLError, _BadField) as exc:
                return Dropped(origin, "malformed_front_matter", _front_matter_problem(exc))
            text = text[match.end() :]
    if not text.strip():
        return Dropped(origin, "empty", "the file has no text")
    return RawItem(
        origin=origin,
        content=text,
        content_type=content_type,
        source_kind="file",
        url=metadata.url,
        title=metadata.title,
        outlet=metadata.outlet,
        author=metadata.author,
        published=metadata.published,
        external_id=metadata.external_id,
    )


def _front_matter_problem(error: Exception) -> str:
    """One line saying what is wrong with a front matter block."""
    problem = getattr(error, "problem", None)
    mark = getattr(error, "problem_mark", None)
    if isinstance(error, yaml.YAMLError) and problem and mark is not None:
        # The mark counts lines from 0 within the block; the file's line 1 is the "---".
        return f"bad front matter: {problem} (line {mark.line + 2})"
    first_line = (str(error).splitlines() or [type(error).__name__])[0]
    return f"bad front matter: {first_line}"


def _front_matter_value(fields: dict[Any, Any], *names: str) -> str | None:
    """The first of ``names`` present, as text; YAML dates become ISO 8601."""
    for name in names:
        value = fields.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float | date):
            raise _BadField(f"{name!r} must be text, not {type(value).__name__}")
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text.strip() or None
    return None


def _front_matter(block: str) -> _Metadata:
    fields = yaml.safe_load(block)
    if fields is None:
        return _Metadata()
    if not isinstance(fields, dict):
        raise _BadField(f"front matter must be key: value lines, not a {type(fields).__name__}")
    return _Metadata(
        title=_front_matter_value(fields, "title"),
        outlet=_front_matter_value(fields, "outlet", "source"),
        author=_front_matter_value(fields, "author"),
        published=_front_matter_value(fields, "published", "date"),
        url=_front_matter_value(fields, "url"),
        external_id=_front_matter_value(fields, "id"),
    )


def _jsonl_items(path: Path, data: bytes) -> Iterator[RawItem | Dropped]:
    found_any = False
    # Split on b"\n" only: JSON strings may hold U+2028, which str.splitlines splits on.
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        origin = f"{path}:{number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            found_any = True
            yield _not_utf8(origin, raw, exc)
            continue
        if not line.strip():
            continue
        found_any = True
        yield _jsonl_document(origin, line)
    if not found_any:
        yield Dropped(str(path), "empty", "the file has no documents")


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise _BadField(f'"{name}" must be a string, not {type(value).__name__}')


def _jsonl_document(origin: str, line: str) -> RawItem | Dropped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Dropped(origin, "malformed_jsonl", f"not valid JSON ({exc.msg}, column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return Dropped(origin, "malformed_jsonl", f"not valid JSON ({type(exc).__name__})")
    if not isinstance(record, dict):
        kind = type(record).__name__
        return Dropped(origin, "malformed_jsonl", f"a JSON object is needed, not {kind}")
    field: str = "text" if record.get("text") is not None else "html"
    content_type: ContentType = "text" if field == "text" else "html"
    content = record.get(field)
    if content is None:
        return Dropped(origin, "malformed_jsonl", 'the object has no "text" or "html" field')
    try:
        if not isinstance(content, str):
            raise _BadField(f'"{field}" must be a string, not {type(content).__name__}')
        external_id = record.get("id")
        if isinstance(external_id, int) and not isinstance(external_id, bool):
            external_id = str(external_id)
        else:
            external_id = _optional_text(record, "id")
        item = RawItem(
            origin=origin,
            content=content,
            content_type=content_type,
            source_kind="file",
            url=_optional_text(record, "url"),
            title=_optional_text(record, "title"),
            outlet=_optional_text(record, "outlet") or _optional_text(record, "source"),
            author=_optional_text(record, "author"),
            published=_optional_text(record, "published"),
            external_id=external_id,
        )
    except _BadField as exc:
        return Dropped(origin, "malformed_jsonl", str(exc))
    if not content.strip():
        return Dropped(origin, "empty", f'the "{field}" field is empty')
    return item
