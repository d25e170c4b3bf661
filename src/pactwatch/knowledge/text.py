"""How names are compared: one folding of text used for every lookup key.

"Gërvalla-Schwarz", "gervalla schwarz" and "GERVALLA–SCHWARZ" fold to the same key;
"Đurić" folds like "Duric" (the spelling "Djuric" is listed as an alias, not guessed).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {
        "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ı": "i",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "þ": "th", "ð": "d",
    }
)  # fmt: skip
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"[\-‐‑‒–—]+")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:'s|s')$")


@lru_cache(maxsize=65536)  # the same names are folded again and again
def fold(text: str) -> str:
    """The lookup key of a name: no diacritics, lower case, dashes as spaces, no dots.

    "U.S." folds to "us", "Priština" to "pristina", "Kosovo’s" to "kosovo's".
    """
    text = text.translate(_UNDECOMPOSED).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _DASHES.sub(" ", text.casefold())
    text = text.replace(".", "")
    return _SPACES.sub(" ", text).strip(" ,;:")


def without_possessive(key: str) -> str | None:
    """A folded key without its possessive ending ("kosovo's" -> "kosovo"), or None."""
    stripped = _POSSESSIVE.sub("", key)
    return stripped if stripped != key and stripped else None


def without_plural(key: str) -> str | None:
    """A folded key without a plural or apostrophe-less possessive "s" ("kosovos" -> "kosovo").

    Only for keys of five letters or more, so short words ("its", "mas") are never
    turned into codes or names.
    """
    if len(key) >= 5 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return None


def code_key(text: str) -> str | None:
    """The key of a text written as a code ("US", "U.S.", "KSV"), or None if it is not one.

    Codes are matched only when written in capitals: "us", "it" and "no" are words.
    """
    compact = text.replace(".", "").replace(" ", "").strip()
    if 2 <= len(compact) <= 5 and compact.isalpha() and compact.isupper():
        return compact
    return None
