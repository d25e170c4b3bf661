"""Stray-text removal: lines that a page scrape carried in from other pages.

Two kinds are removed, each recorded as a ``RemovedText`` with its reason key and its
1-based line number in the text given:

- ``boilerplate``: a whole short line that is site furniture, anywhere in the text
  ("Share this article", "Read more: ...", "Subscribe to our newsletter",
  "© 2024 Outlet. All rights reserved.", cookie notices, "Advertisement",
  "Click here ...", "Follow us on ...").
- ``stray_headline``: the headline of another article, at the very end (or start) of the
  text, shaped like ``Section | Headline – Outlet``, ``Headline – Outlet`` or
  ``Headline | Outlet``.

Conservative by design, because a removed article line is lost evidence:

- headlines are looked for only among the last (and first) lines, peeled one at a time;
- the outlet must look like a name (one to six capitalised words, or a domain) and the
  headline must not end like a sentence (``.``, ``,``, ``;``, ``:``) or like a dateline
  (``PRISTINA (Reuters)``), so "..., officials said. - Reuters" stays; a plain hyphen
  before a wire agency ("... on Monday - Reuters") is a credit line and stays too;
- a line that is, or contains, the document's own title is never removed;
- a leading headline is removed only when the title is known and the line is not it:
  with no title, a first "Headline | Outlet" line is most likely the page's own title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pactwatch.models import RemovedText

STRAY_HEADLINE = "stray_headline"
BOILERPLATE = "boilerplate"

_MAX_BOILERPLATE_CHARS = 200
_MAX_HEADLINE_LINE_CHARS = 250

_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        share\ (?:this|the)\ (?:article|story|post|page)\b.*
      | share\ on\ (?:facebook|twitter|x|linkedin|whatsapp)\b.*
      | read\ more\W*
      | read\ more\ *:.*
      | (?:also\ read|related(?:\ (?:articles|stories|news))?)\ *:.*
      | related\ (?:articles|stories|news)\W*
      | (?:subscribe\ to|sign\ up\ (?:for|to))\ our\ newsletter\b.*
      | .*\ball\ rights\ reserved\b.*
      | we\ use\ cookies\b.*
      | cookies?(?:\ (?:settings|policy|preferences|notice))?\W*
      | .*\b(?:cookie\ (?:policy|settings|preferences|consent)|accept\ (?:all\ )?cookies)\b.*
      | advertisement(?:\W+(?:scroll|story|article|content)\b.*)?
      | click\ here\b.*
      | follow\ us\ on\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# "Section | Headline – Outlet": the last separator splits off the outlet, an optional
# first " | " splits off a short section label.
_OUTLET_SEPARATOR = re.compile(r" (?:–|—|-|\|) ")
_SECTION = re.compile(r"^[A-Z][\w&'’. -]{0,28}$")
_OUTLET_CONNECTORS = frozenset({"of", "the", "and", "&", "de", "on", "for", "in", "at"})
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
_DATELINE_END = re.compile(r"\)\s*$")
_SENTENCE_END = (".", ",", ";", ":")
# "... detained two men on Monday - Reuters" credits the wire the story came from.
_WIRE_AGENCIES = frozenset(
    {"reuters", "ap", "associated press", "afp", "agence france-presse", "dpa", "ansa",
     "efe", "anadolu", "anadolu agency", "beta", "tanjug", "fena", "kosovapress", "mia"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StrayResult:
    """The text without its stray lines, and what was removed (with line numbers)."""

    text: str
    removed: list[RemovedText] = field(default_factory=list)


def remove_stray_lines(text: str, *, title: str | None) -> StrayResult:
    """Remove boilerplate lines and stray headlines of other pages from ``text``.

    Line numbers in ``removed`` are 1-based lines of ``text`` (split on ``\\n``). Every
    removed line is recorded; the only other change is that blank lines the removals
    leave doubled or at the edges are dropped.
    """
    lines = text.split("\n")
    removed: dict[int, RemovedText] = {}

    for index, line in enumerate(lines):
        if _is_boilerplate(line) and not _is_title(line, title):
            removed[index] = RemovedText(text=line, reason=BOILERPLATE, line=index + 1)

    def content_indexes() -> list[int]:
        return [i for i, line in enumerate(lines) if line.strip() and i not in removed]

    # Peel headlines off the end, then off the start, one line at a time.
    while (remaining := content_indexes()) and len(remaining) > 1:
        last = remaining[-1]
        if _is_title(lines[last], title) or not is_headline_line(lines[last]):
            break
        removed[last] = RemovedText(text=lines[last], reason=STRAY_HEADLINE, line=last + 1)
    while title and (remaining := content_indexes()) and len(remaining) > 1:
        first = remaining[0]
        if _is_title(lines[first], title) or not is_headline_line(lines[first]):
            break
        removed[first] = RemovedText(text=lines[first], reason=STRAY_HEADLINE, line=first + 1)

    if not removed:
        return StrayResult(text=text, removed=[])
    kept = [line for i, line in enumerate(lines) if i not in removed]
    return StrayResult(
        text=_tidy_blank_lines("\n".join(kept)),
        removed=[removed[i] for i in sorted(removed)],
    )


def is_headline_line(line: str) -> bool:
    """Whether ``line`` has the shape ``[Section |] Headline – Outlet`` (see module docstring)."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADLINE_LINE_CHARS:
        return False
    separators = list(_OUTLET_SEPARATOR.finditer(line))
    if not separators:
        return False
    last = separators[-1]
    headline, outlet = line[: last.start()], line[last.end() :]
    if last.group() == " - " and outlet.casefold() in _WIRE_AGENCIES:
        return False
    section, bar, rest = headline.partition(" | ")
    if bar and _SECTION.match(section) and len(section.split()) <= 4:
        headline = rest
    return _looks_like_outlet(outlet) and _looks_like_headline(headline)


def _looks_like_outlet(outlet: str) -> bool:
    words = outlet.split()
    if not 1 <= len(words) <= 6 or len(outlet) > 60:
        return False
    if len(words) == 1 and _DOMAIN.match(outlet):
        return True
    if outlet[-1] in ".!?,;:" or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _OUTLET_CONNECTORS for w in words)


def _looks_like_headline(headline: str) -> bool:
    words = headline.split()
    if not 3 <= len(words) <= 30:
        return False
    if not headline[0].isupper() and not headline[0].isdigit() and headline[0] not in "\"'‘“":
        return False
    if headline.endswith(_SENTENCE_END) or _DATELINE_END.search(headline):
        return False
    # A headline is one phrase: a full stop followed by more words means sentences.
    return ". " not in headline


def _is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped) <= _MAX_BOILERPLATE_CHARS
        and bool(_BOILERPLATE_LINE.match(stripped))
    )


def _is_title(line: str, title: str | None) -> bool:
    """Whether the line is (or carries) the document's own title."""
    if not title or not title.strip():
        return False
    line_key, title_key = _comparable(line), _comparable(title)
    if not line_key:
        return False
    # A title of a word or two would match half the article; require it whole then.
    if len(title_key.split()) < 3:
        return line_key == title_key
    return title_key in line_key


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split())


def _tidy_blank_lines(text: str) -> str:
    """Drop blank lines that removals left at the edges or doubled in the middle."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
