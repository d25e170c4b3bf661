"""Text normalisation: one canonical form of a document's text, with every repair recorded.

What ``normalize_text`` does, in order:

1. Unicode NFC.
2. Every line break that ``str.splitlines`` knows (``\\r\\n``, ``\\r``, ``\\v``, ``\\f``,
   ``\\x85``, U+2028, U+2029, ...) becomes ``\\n``, so line numbers agree with any reader.
3. Zero-width and other invisible format characters and control characters (all but
   ``\\n`` and ``\\t``) are removed.
4. Per line: runs of horizontal whitespace (spaces, tabs, no-break spaces) become one
   space and the line is stripped; then missing spaces after a sentence end are put back
   (see below), each recorded as a ``TextRepair`` with the line number of the input.
5. Leading and trailing blank lines go; a run of blank lines becomes one blank line.

Missing-space repairs are deliberately narrow. Two shapes are repaired:

- a word of two or more letters ending in a lowercase letter, a full stop, then a
  capitalised word: ``Balkans.Through`` -> ``Balkans. Through``;
- an abbreviation of two or more dotted capitals, then a lowercase word of two or more
  letters: ``U.S.is`` -> ``U.S. is``.

Left alone: ``U.S.``, ``U.S.-led``, ``e.g.``, ``i.e.``, decimals, times, version numbers,
``No.1``, initials (``J.R.R.Tolkien``), plurals of abbreviations (``M.P.s``), domains
(lowercase on both sides of the dot, or a known suffix such as ``.Com``), and any token
that is a URL, path or e-mail address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pactwatch.models import TextRepair

# Every separator str.splitlines() honours, so our line numbers match Python's.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

# Invisible characters that only ever get in the way of matching words.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f"  # soft hyphen, zero-width, direction marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064\ufeff"  # word joiner, invisible operators, BOM
)
_CONTROL = "".join(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\t")
_DELETE_TABLE = str.maketrans("", "", _INVISIBLE + _CONTROL)
# Whether there is anything to delete: most texts have none, and one regex scan costs a
# third of what ``str.translate`` takes to copy a text character by character.
_DELETABLE = re.compile(f"[{re.escape(_INVISIBLE + _CONTROL)}]")

# Any whitespace except the line break itself (tabs, no-break and thin spaces included).
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINE_RUN_LIMIT = 1

# "Balkans.Through": a whole word (not the tail of "e.g." or "nato.int") before the stop.
_SENTENCE_JOIN = re.compile(r"(?<![\w.])(?P<left>[^\W\d_]{2,})\.(?P<right>[^\W\d_]{2,})(?!\w|\.\w)")
# "U.S.is": two or more dotted capitals, then a lowercase word ("M.P.s" is a plural, kept).
_ABBREVIATION_JOIN = re.compile(
    r"(?<![\w.])(?P<left>(?:[A-Z]\.){2,})(?P<right>[a-z]{2,})(?!\w|\.\w)"
)

# Capitalised words after a dot that are a domain or file suffix, not a new sentence.
_SUFFIXES = frozenset(
    {"com", "org", "net", "int", "gov", "edu", "info", "io", "eu", "example",
     "html", "htm", "php", "aspx", "pdf", "docx", "xml", "json"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text and the repairs made to it.

    ``source_lines[i]`` is the 1-based line of the input that line ``i`` of ``text`` came
    from, so later stages can report positions in the text the user gave.
    """

    text: str
    repairs: list[TextRepair] = field(default_factory=list)
    source_lines: tuple[int, ...] = ()


def normalize_text(text: str) -> NormalizedText:
    """Return the canonical form of ``text`` and every spacing repair made to it.

    Idempotent: normalising the result again changes nothing and records no repairs.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    if _DELETABLE.search(text):
        text = text.translate(_DELETE_TABLE)

    repairs: list[TextRepair] = []
    kept: list[tuple[str, int]] = []
    blank_run = 0
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = _HORIZONTAL_SPACE.sub(" ", raw_line).strip()
        if not line:
            blank_run += 1
            continue
        # Blank lines survive only between content, at most one in a row.
        if kept and blank_run:
            kept.extend(("", number - 1) for _ in range(min(blank_run, _BLANK_LINE_RUN_LIMIT)))
        blank_run = 0
        line, line_repairs = repair_missing_spaces(line, line_number=number)
        repairs.extend(line_repairs)
        kept.append((line, number))

    return NormalizedText(
        text="\n".join(line for line, _ in kept),
        repairs=repairs,
        source_lines=tuple(number for _, number in kept),
    )


def repair_missing_spaces(
    line: str, *, line_number: int | None = None
) -> tuple[str, list[TextRepair]]:
    """Put back the space missing after a sentence end in one line (see module docstring)."""
    edits: list[tuple[int, int, str]] = []
    for match in _SENTENCE_JOIN.finditer(line):
        left, right = match["left"], match["right"]
        if not (left[-1].islower() and right[0].isupper() and right[1].islower()):
            continue
        if right.lower() in _SUFFIXES or _inside_address(line, match.start(), match.end()):
            continue
        edits.append((match.start(), match.end(), f"{left}. {right}"))
    for match in _ABBREVIATION_JOIN.finditer(line):
        if _inside_address(line, match.start(), match.end()):
            continue
        edits.append((match.start(), match.end(), f"{match['left']} {match['right']}"))
    if not edits:
        return line, []

    edits.sort()
    pieces: list[str] = []
    repairs: list[TextRepair] = []
    position = 0
    for start, end, replacement in edits:
        if start < position:  # overlapping candidates: keep the first, the text stays as it was
            continue
        pieces.append(line[position:start])
        pieces.append(replacement)
        repairs.append(TextRepair(before=line[start:end], after=replacement, line=line_number))
        position = end
    pieces.append(line[position:])
    return "".join(pieces), repairs


def _inside_address(line: str, start: int, end: int) -> bool:
    """Whether line[start:end] is part of a URL, path or e-mail address token."""
    token_start = line.rfind(" ", 0, start) + 1
    token_end = line.find(" ", end)
    token = line[token_start : token_end if token_end != -1 else len(line)]
    lowered = token.lower()
    return "@" in token or "/" in token or lowered.startswith("www.")
