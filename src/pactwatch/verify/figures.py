"""Stated counts of people or things in a sentence: "30 of its soldiers were injured".

Two outlets telling one event are compared on their figures, and so are two mentions of
an event within one article; both need the same reading of "how many of what, and what
happened to them". ``figures_in`` reads plain text (the store keeps only the sentence
texts of event mentions, so no parse is needed or used):

- the number, in digits ("41", "1,000") or words ("three", "forty-one", "two hundred",
  "a dozen");
- a qualifier before it ("about", "some", "at least", "up to", ...) kept as
  ``qualifier`` and ``approximate``, so that "about 30" does not contradict "32";
- the noun counted ("soldiers", "police officers", "Serbs"), with a group word that
  narrows it to a part ("11 Italian soldiers", "11 soldiers of its Italian contingent":
  ``group`` "Italian"), so that a part is never compared with a whole;
- the measure: what happened to them ("injured", "killed", "arrested", "wounded",
  "deployed", "involved", ...), from the verb after the noun phrase ("were injured",
  "hurt", "suffered injuries") or before the number ("arrested five protesters",
  "killing three attackers"); "count" when the sentence says nothing about them.

Years, dates ("Sept 24", "29 May"), percentages, money, ages and units of time or
distance are not figures. A number with no counted noun after it ("cut from 8,350 to
4,500") is left out: without the noun there is nothing to compare.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Figure", "figures_in", "measure_family", "noun_class"]


@dataclass(slots=True, frozen=True)
class Figure:
    """A stated count: ``value`` ``noun`` were ``measure`` (``text`` is the words read)."""

    value: int
    measure: str
    noun: str
    start: int
    end: int
    text: str
    approximate: bool = False
    qualifier: str | None = None  # "about", "at least", ... as written, lower case
    group: str | None = None  # a part of the noun's class: "Italian" in "11 Italian soldiers"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_TOKEN = re.compile(
    r"\d[\d,]*(?:\.\d+)?(?:[A-Za-z][\w-]*|-[\w-]+)?"  # 30, 1,000, 3.5, 24th, 35-year-old
    r"|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z'’]+)*"  # words, forty-one, NATO-led
    r"|[^\sA-Za-z\d]"  # punctuation and symbols, one character each
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Qualifiers, longest first; the value is True for an estimate.
_QUALIFIERS: tuple[tuple[str, ...], ...] = (
    ("as", "many", "as"),
    ("more", "than"),
    ("fewer", "than"),
    ("less", "than"),
    ("at", "least"),
    ("at", "most"),
    ("up", "to"),
    ("an", "estimated"),
    ("about",),
    ("around",),
    ("some",),
    ("approximately",),
    ("roughly",),
    ("nearly",),
    ("almost",),
    ("over",),
    ("estimated",),
)

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$", "€", "£"}
_NOT_COUNTED = {
    # units of time, distance, money and share: "three days", "5 km", "75 million dollars"
    "years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades",
    "centuries", "times", "kilometres", "kilometers", "km", "miles", "metres", "meters",
    "percent", "per", "cent", "euros", "dollars", "pounds", "dinars", "points", "degrees",
    "billion", "trillion", "bn", "tonnes", "tons", "kilograms", "kg", "litres",
}  # fmt: skip
_STOP = {
    "was", "has", "is", "this", "its", "his", "hers", "ours", "theirs", "yours", "as", "us",
    "yes", "thus", "perhaps", "plus", "less", "unless", "whereas", "across", "always",
    "various", "serious", "previous", "numerous", "news", "sometimes", "besides",
}  # fmt: skip
# Counted nouns that do not end in -s.
_IRREGULAR_PLURALS = {
    "people", "police", "personnel", "men", "women", "children", "gunmen", "policemen",
    "servicemen", "staff", "militia", "crew", "youths", "cattle", "sheep", "aircraft",
}  # fmt: skip
_SINGULAR_OF_ONE = {
    "soldier", "officer", "policeman", "person", "man", "woman", "child", "civilian",
    "attacker", "gunman", "protester", "demonstrator", "journalist", "suspect",
    "peacekeeper", "serviceman", "member", "citizen", "resident", "worker", "pilgrim",
}  # fmt: skip
# Nouns that modify the head: "police officers", "border guards", "riot police".
_NOUN_MODIFIERS = {
    "police", "border", "army", "security", "riot", "special", "peacekeeping", "military",
    "armed", "masked", "unarmed", "local", "foreign", "ethnic", "other", "more", "further",
    "additional", "fellow", "young", "elderly", "uniformed", "heavily", "off-duty",
    "serb", "albanian", "kosovo", "nato", "kfor", "eulex", "un", "eu", "us", "u.s.",
    "new", "extra", "seriously", "slightly", "lightly",
}  # fmt: skip
_ADJECTIVE_ENDINGS = ("ian", "ish", "ese", "an", "ed", "al", "ive", "ary", "ic", "ing")

# What happened to them: surface word -> measure.
_MEASURE_WORDS = {
    "injured": "injured", "injuring": "injured", "injures": "injured", "hurt": "injured",
    "injuries": "injured",
    "wounded": "wounded", "wounding": "wounded",
    "killed": "killed", "killing": "killed", "kills": "killed", "dead": "killed",
    "died": "killed", "slain": "killed", "deaths": "killed", "killings": "killed",
    "arrested": "arrested", "arresting": "arrested", "arrests": "arrested",
    "detained": "arrested", "detaining": "arrested", "apprehended": "arrested",
    "captured": "arrested", "held": "arrested", "detains": "arrested", "arrest": "arrested",
    "deployed": "deployed", "deploying": "deployed", "deploy": "deployed", "sent": "deployed",
    "sends": "deployed", "send": "deployed", "sending": "deployed", "dispatched": "deployed",
    "dispatch": "deployed", "stationed": "deployed", "arrived": "deployed",
    "arrive": "deployed", "reinforce": "deployed",
    "involved": "involved", "participated": "involved", "gathered": "involved",
    "stormed": "involved", "attacked": "involved",
    "evacuated": "evacuated", "displaced": "displaced", "missing": "missing",
    "kidnapped": "abducted", "abducted": "abducted",
}  # fmt: skip
_AUXILIARIES = {
    "were", "was", "been", "be", "are", "is", "got", "get", "reportedly", "also",
    "allegedly", "have", "had", "has", "being", "later", "all", "then", "who", "seriously",
    "slightly", "lightly", "badly", "critically", "fatally", "mortally",
}  # fmt: skip
# Words that end the clause of the counted noun: a measure after them is about others.
_CLAUSE_BREAKS = {
    "while", "when", "after", "before", "because", "but", "whereas", "although", "though",
    "where", "and", "or", "said", "says", "say", "which", "that", "whom", "whose", "if",
}  # fmt: skip
_SENTENCE_BREAKS = {".", ";", ":", "!", "?", "(", ")", "\u2014", "\u2013"}
# A part of a whole: "11 soldiers of its Italian contingent".
_PART_WORDS = {"contingent", "unit", "battalion", "detachment", "company"}


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _digits_value(token: str) -> int | None:
    """``"1,000"`` -> 1000; None for decimals, ordinals ("24th") and compounds."""
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", token):
        return None
    return int(token.replace(",", ""))


def _word_value(word: str) -> int | None:
    low = word.lower()
    if low in _UNITS:
        return _UNITS[low]
    if low in _TENS:
        return _TENS[low]
    parts = low.split("-")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def _read_number(toks: list[_Tok], i: int) -> tuple[int, int, bool] | None:
    """The number starting at token ``i``: (value, index after it, approximate)."""
    tok = toks[i]
    if tok.low == "a" and i + 1 < len(toks) and toks[i + 1].low == "dozen":
        return 12, i + 2, True
    if tok.low == "dozen":
        return 12, i + 1, True
    value = _digits_value(tok.text) if tok.text[0].isdigit() else _word_value(tok.text)
    if value is None:
        return None
    j = i + 1
    # "two hundred", "three thousand", "1.2 million" (decimals are refused above)
    while j < len(toks) and toks[j].low in _SCALES:
        value *= _SCALES[toks[j].low]
        j += 1
        nxt = _word_value(toks[j].text) if j < len(toks) else None
        if nxt is not None and j < len(toks) and not toks[j].text[0].isdigit():
            value += nxt
            j += 1
        elif j + 1 < len(toks) and toks[j].low == "and":
            nxt = _word_value(toks[j + 1].text)
            if nxt is not None:
                value += nxt
                j += 2
    return value, j, False


def _qualifier_before(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """The qualifier ending just before token ``i`` and the index where it starts."""
    for words in _QUALIFIERS:
        n = len(words)
        if i - n >= 0 and tuple(t.low for t in toks[i - n : i]) == words:
            return " ".join(words), i - n
    return None, i


def _excluded(toks: list[_Tok], i: int, j: int, value: int) -> bool:
    """Years, dates, percentages, money: numbers that count nothing."""
    tok = toks[i]
    if tok.text[0].isdigit() and "," not in tok.text and 1900 <= value <= 2099:
        return True
    if i > 0 and (toks[i - 1].low in _MONTHS and toks[i - 1].text[0].isupper()):
        return True
    if j < len(toks) and toks[j].low in _MONTHS and toks[j].text[0].isupper():
        return True
    if i > 0 and toks[i - 1].text in _CURRENCY_SYMBOLS:
        return True
    return j < len(toks) and (toks[j].text == "%" or toks[j].low in _NOT_COUNTED)


def _is_plural_noun(tok: _Tok, value: int) -> bool:
    low = tok.low
    if not tok.text[0].isalpha() or low in _STOP or low in _NOT_COUNTED:
        return False
    if low in _IRREGULAR_PLURALS or (value == 1 and low in _SINGULAR_OF_ONE):
        return True
    if tok.text[0].isupper():
        # demonyms and peoples: "Serbs", "Italians", "Albanians"; not "KFOR", "LWCLUs"
        return tok.text[1:].islower() and low.endswith("s") and len(low) > 3
    return (
        len(low) > 3
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "ous"))
        and low not in _MEASURE_WORDS
    )


def _is_modifier(tok: _Tok) -> bool:
    low = tok.low
    if low in _NOUN_MODIFIERS:
        return True
    if not tok.text[0].isalpha() or low in _STOP or low in _CLAUSE_BREAKS:
        return False
    if tok.text[0].isupper():
        return True  # "British", "NATO", "Kosovo"
    return "-" in low or low.endswith(_ADJECTIVE_ENDINGS)


def _group_word(tok: _Tok) -> str | None:
    """A modifier that narrows the class to a part: a nationality ("Italian")."""
    text = tok.text
    if text[0].isupper() and text[1:].islower() and text.endswith(("an", "ish", "ese", "ch")):
        return text
    return None


def _read_noun(toks: list[_Tok], j: int, value: int) -> tuple[str, str | None, int] | None:
    """The counted noun after the number: (noun, group, index after it)."""
    group: str | None = None
    k = j
    # "30 of its soldiers", "19 of the attackers"
    if k + 1 < len(toks) and toks[k].low == "of" and toks[k + 1].low in {
        "its", "the", "their", "his", "her", "them", "those", "these", "our",
    }:  # fmt: skip
        k += 2
    for _ in range(4):
        if k >= len(toks):
            return None
        tok = toks[k]
        if _is_plural_noun(tok, value) and not (
            # "police" before "officers" is a modifier of the head
            k + 1 < len(toks) and _is_plural_noun(toks[k + 1], value) and tok.low in _NOUN_MODIFIERS
        ):
            noun = tok.text if tok.text[0].isupper() else tok.low
            if k + 3 < len(toks) and toks[k + 1].low == "of":
                # "11 soldiers of its Italian contingent"
                rest = toks[k + 2 : k + 5]
                if any(t.low in _PART_WORDS for t in rest):
                    group = next((g for t in rest if (g := _group_word(t))), group or "part")
            return noun, group, k + 1
        if not _is_modifier(tok):
            return None
        group = _group_word(tok) or group
        k += 1
    return None


def _measure_after(toks: list[_Tok], k: int) -> str | None:
    """The measure from the verb after the noun phrase ("were injured", "hurt")."""
    first = True
    skip_to = -1
    for idx in range(k, min(len(toks), k + 18)):
        tok = toks[idx]
        low = tok.low
        if idx <= skip_to:
            continue
        if low == ",":
            # an aside between commas ("30 peacekeepers, most of them Italian, were
            # injured") is read past, clause words and all
            close = next(
                (j for j in range(idx + 1, min(len(toks), idx + 10)) if toks[j].low == ","), -1
            )
            if close > 0 and not any(toks[j].low in _SENTENCE_BREAKS for j in range(idx, close)):
                skip_to = close
            continue
        if low in _SENTENCE_BREAKS or tok.text[0].isdigit() or _word_value(low) is not None:
            return None
        if low in _MEASURE_WORDS and (first or _prev_is_aux(toks, tok)):
            return _MEASURE_WORDS[low]
        if low == "suffered":
            continue
        if low in _CLAUSE_BREAKS:
            return None
        first = first and (low in _AUXILIARIES or low in {"suffered", "multiple", "serious"})
    return None


def _prev_is_aux(toks: list[_Tok], tok: _Tok) -> bool:
    idx = toks.index(tok)
    prev = toks[idx - 1].low if idx > 0 else ""
    return prev in _AUXILIARIES or prev in {"suffered", "multiple", "serious", "minor"}


def _measure_before(toks: list[_Tok], i: int) -> str | None:
    """The measure from a verb or noun just before the number ("arrested five")."""
    k = i - 1
    if k >= 0 and toks[k].low in {"of", "a", "total", "the"}:
        # "arrests of eight suspects", "killing a total of"
        while k >= 0 and toks[k].low in {"of", "a", "total", "the"}:
            k -= 1
    for tok in toks[max(0, k - 1) : k + 1][::-1]:
        if tok.low in _MEASURE_WORDS:
            return _MEASURE_WORDS[tok.low]
        if tok.low in {"took", "take", "taking"}:
            return None
    return None


def figures_in(text: str, offset: int = 0) -> list[Figure]:
    """Every stated count in ``text``; ``start``/``end`` are offsets plus ``offset``.

    ``text`` is one sentence or a whole document (sentence ends stop the search for the
    measure verb). ``Figure.text`` runs from the qualifier to the end of the noun.
    """
    toks = _tokens(text)
    figures: list[Figure] = []
    i = 0
    while i < len(toks):
        read = _read_number(toks, i)
        if read is None:
            i += 1
            continue
        value, j, approximate = read
        if _excluded(toks, i, j, value):
            i = j
            continue
        noun_read = _read_noun(toks, j, value)
        if noun_read is None:
            i = j
            continue
        noun, group, after = noun_read
        if value == 1 and toks[j].low == "of":
            i = after  # "one of the leaders" names a member, it counts nothing
            continue
        qualifier, q_start = _qualifier_before(toks, i)
        measure = _measure_after(toks, after) or _measure_before(toks, q_start) or "count"
        if measure == "count" and _involved_context(toks, after):
            measure = "involved"
        start = toks[q_start].start
        end = toks[after - 1].end
        figures.append(
            Figure(
                value=value,
                measure=measure,
                noun=noun,
                start=start + offset,
                end=end + offset,
                text=text[start:end],
                approximate=approximate or qualifier is not None,
                qualifier=qualifier or ("a dozen" if approximate else None),
                group=group,
            )
        )
        i = after
    return figures


def _involved_context(toks: list[_Tok], k: int) -> bool:
    """ "took part", "took position", "were involved": the counted took part in it."""
    window = [t.low for t in toks[k : k + 4]]
    return any(w in {"took", "taking", "participated", "involved"} for w in window)


# Classes of counted nouns: figures are compared only within one class.
_NOUN_CLASSES: dict[str, tuple[str, ...]] = {
    "troops": (
        "soldiers", "soldier", "troops", "peacekeepers", "peacekeeper", "servicemen",
        "serviceman", "personnel", "service members", "marines", "paratroopers",
    ),
    "police": ("police", "officers", "officer", "policemen", "policeman", "guards"),
    "attackers": (
        "gunmen", "gunman", "attackers", "attacker", "assailants", "militants", "fighters",
        "men", "commandos", "terrorists",
    ),
    "protesters": ("protesters", "protester", "demonstrators", "demonstrator", "rioters"),
    "people": ("people", "persons", "person", "civilians", "civilian", "residents"),
    "suspects": ("suspects", "suspect", "detainees"),
}  # fmt: skip
_CLASS_OF = {noun: cls for cls, nouns in _NOUN_CLASSES.items() for noun in nouns}


def noun_class(noun: str) -> str:
    """The class a counted noun belongs to ("peacekeepers" -> "troops"); else the noun."""
    low = noun.lower()
    return _CLASS_OF.get(low, low)


_MEASURE_FAMILIES = {"wounded": "injured"}


def measure_family(measure: str) -> str:
    """Measures that count the same thing: "wounded" and "injured"."""
    return _MEASURE_FAMILIES.get(measure, measure)
