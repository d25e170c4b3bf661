"""Templated text: the same bullet list or paragraph repeated across sections.

Generated or spun "articles" pad one thin fact (a meeting) into many sections, each a
retelling with the same skeleton: an opening paragraph, "Key areas include:", a bullet
list drawn from the same few items ("Intelligence Sharing: ..."), a closing paragraph.
News copy rarely has bullet lists at all, and a real one does not repeat its list items
in section after section.

The measure works on lines, so it explains itself:

- a *bullet block* is a run of consecutive list lines ("- ", "* ", "• ", "1. ");
- an *item key* is a list line's label, the words before its colon when there are at most
  ``MAX_LABEL_WORDS`` ("Intelligence Sharing: Strengthening the framework ..." ->
  "intelligence sharing"), else its first ``MAX_LABEL_WORDS`` words; case, punctuation and
  a plural "s" are folded;
- a *repeated line* is a whole non-list line of at least ``MIN_LINE_WORDS`` words that
  appears, folded, in two sections or more (a paragraph copied whole).

The *re-uses* of a key are the blocks beyond the first it appears in. A document is
templated when it has at least ``MIN_BLOCKS`` bullet blocks and at least ``MIN_REUSES``
re-uses in all, or when any paragraph line repeats. Why these numbers: a "key points"
box that recaps a list once gives two blocks, below ``MIN_BLOCKS``; three re-uses is an
item recurring in four lists, or three items recurring once each, which is no longer
a recap. On the demo corpus no clean article has a bullet block; the seed article has
five blocks and five re-uses ("Intelligence Sharing" in five lists, "Joint Military
Exercises" in two).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pactwatch.models import Document
from pactwatch.verify.flags import Flag, span_evidence

MIN_BLOCKS = 3
MIN_REUSES = 3
MAX_LABEL_WORDS = 6
MIN_LINE_WORDS = 12
MAX_HEADING_WORDS = 14

_BULLET = re.compile(r"^\s*(?:[-*•▪◦–]|\d{1,2}[.)])\s+(?P<body>\S.*)$")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    start: int  # character offset of the line in the text
    text: str


def template_flags(document: Document) -> list[Flag]:
    """At most one ``templated_text`` flag: the repeated list items and lines, with counts."""
    text = document.text
    lines = _lines(text)
    sections = _section_of_lines(lines)
    blocks = _bullet_blocks(lines)

    # key -> the blocks (by index) it appears in, and its lines
    where: dict[str, list[int]] = defaultdict(list)
    item_lines: dict[str, list[_Line]] = defaultdict(list)
    labels: dict[str, str] = {}
    for index, block in enumerate(blocks):
        for line in block:
            label, key = _item_key(line.text)
            if not key:
                continue
            labels.setdefault(key, label)
            item_lines[key].append(line)
            if index not in where[key]:
                where[key].append(index)
    repeated_items = {k: v for k, v in where.items() if len(v) > 1}
    reuses = sum(len(v) - 1 for v in repeated_items.values())

    by_text: dict[str, list[_Line]] = defaultdict(list)
    for line in lines:
        if _BULLET.match(line.text) or len(_WORD.findall(line.text)) < MIN_LINE_WORDS:
            continue
        by_text[" ".join(_WORD.findall(line.text.casefold()))].append(line)
    repeated_lines = [
        found for found in by_text.values() if len({sections[x.number] for x in found}) > 1
    ]

    list_template = len(blocks) >= MIN_BLOCKS and reuses >= MIN_REUSES
    if not list_template and not repeated_lines:
        return []

    items = sorted(repeated_items.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    item_details = [
        {
            "item": labels[key],
            "lists": len(block_ids),
            "lines": [x.number for x in item_lines[key]],
        }
        for key, block_ids in items
    ]
    line_details = [
        {"text": found[0].text, "count": len(found), "lines": [x.number for x in found]}
        for found in repeated_lines
    ]
    parts: list[str] = []
    if list_template:
        shown = ", ".join(f"{d['item']!r} {d['lists']} times" for d in item_details[:3])
        parts.append(f"{len(blocks)} bullet lists repeat the same items ({shown})")
    if repeated_lines:
        parts.append(f"{len(repeated_lines)} paragraph(s) repeated word for word")
    repeated_at = [x for key in repeated_items for x in item_lines[key]] + [
        x for found in repeated_lines for x in found
    ]
    section_count = len({sections[x.number] for x in repeated_at})
    explanation = "; ".join(parts) + f" in {section_count} sections: the same content retold."
    evidence = [
        span_evidence(text, x.start, x.start + len(x.text), document.id)
        for key, _ in items
        for x in item_lines[key]
    ] + [
        span_evidence(text, x.start, x.start + len(x.text), document.id)
        for found in repeated_lines
        for x in found
    ]
    return [
        Flag(
            "templated_text",
            "warning",
            explanation,
            evidence,
            document_id=document.id,
            details={
                "bullet_lists": len(blocks),
                "sections_with_repeats": section_count,
                "sections": len(set(sections.values())),
                "reuses": reuses,
                "repeated_items": item_details,
                "repeated_lines": line_details,
                "thresholds": {"min_lists": MIN_BLOCKS, "min_reuses": MIN_REUSES},
            },
        )
    ]


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        out.append(_Line(number, offset, raw))
        offset += len(raw) + 1
    return out


def _is_heading(line: _Line) -> bool:
    """A short line that is not a sentence or a list item: a section heading."""
    stripped = line.text.strip()
    if not stripped or _BULLET.match(stripped) or stripped.endswith((".", ":", ",", ";")):
        return False
    return len(_WORD.findall(stripped)) <= MAX_HEADING_WORDS


def _section_of_lines(lines: list[_Line]) -> dict[int, int]:
    """Line number -> section index (a heading opens a new section)."""
    section = 0
    out: dict[int, int] = {}
    for line in lines:
        if _is_heading(line) and line.number > 1:
            section += 1
        out[line.number] = section
    return out


def _bullet_blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if _BULLET.match(line.text):
            current.append(line)
        elif line.text.strip() or not current:
            if current:
                blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _item_key(line: str) -> tuple[str, str]:
    """The label of a list line as written and its folded key."""
    match = _BULLET.match(line)
    body = match.group("body") if match else line
    head, colon, _rest = body.partition(":")
    words = _WORD.findall(head) if colon else []
    if not colon or not words or len(words) > MAX_LABEL_WORDS:
        words = _WORD.findall(body)[:MAX_LABEL_WORDS]
        head = " ".join(words)
    key = " ".join(_singular(w.casefold()) for w in words)
    return head.strip(), key


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
