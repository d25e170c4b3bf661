"""``pw_attribute_table``: the model's ``attribute_ruler``, applied by table look-up.

``en_core_web_sm``'s attribute ruler sets each token's POS and morphology from its tag
(and fixes pronouns, auxiliaries and a few contractions) with 179 ``Matcher`` patterns.
Running that Matcher over every token costs about 15% of spaCy's own time, more than any
of our components but ``pw_events``. 171 of the patterns look at one token and only at
its tag, lower-case form, dependency label and whether it is a space, so which of them
match depends on those four values alone: worked out once per combination (a few
thousand in a corpus) and cached, they come to one dict look-up a token. The few
patterns of two tokens ("gon na", "there is") keep a Matcher of their own.

The output is the ruler's: the same normalised attributes, set with spaCy's own
``set_token_attrs``, in the ruler's order (a later pattern wins where two set the same
attribute of a token); ``tests/test_nlp_attribute_table.py`` compares every token
attribute with the ruler's. A pattern of another shape (a model update) raises at
start-up rather than being read differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

RULER = "attribute_ruler"
# What a one-token pattern may test, and the order of a token's key.
_KEY_ATTRS: list[int | str] = [TAG, LOWER, DEP, IS_SPACE]
_KEY_NAMES = ("TAG", "LOWER", "DEP", "IS_SPACE")

_MAX_KEYS = 500_000  # cleared when full (a long-running worker): a cache, not a lexicon

Key = tuple[int, ...]
Strings = tuple[str, str, str, bool]  # tag_, lower_, dep_, is_space
Test = Callable[[Strings], bool]
Step = tuple[int, int, int]  # pattern number, alternative, position in the alternative


class _KeyInfo:
    """What the patterns say of one token key (a tag, lower form, label, space flag)."""

    __slots__ = ("holds", "merged", "numbers", "starts")

    def __init__(self) -> None:
        self.merged: dict[Any, Any] = {}  # the attributes its one-token patterns set
        self.numbers: list[int] = []  # the numbers of those patterns, in order
        self.starts: list[tuple[int, int, int]] = []  # (number, alternative, length)
        self.holds: set[Step] = set()  # later steps of longer patterns it satisfies


class AttributeTable:
    """The patterns of ``ruler``; called on a Doc, sets what the ruler would."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.strings = ruler.vocab.strings
        self.attrs: list[dict[Any, Any]] = ruler.attrs  # normalised, by pattern number
        self.indices: list[int] = ruler.indices
        self.lengths: dict[tuple[int, int], int] = {}
        # Each token test of every pattern, filed under the tag or lower form it requires
        # (most require one), so a new key is tried against a dozen tests, not 180.
        self.by_tag: dict[str, list[tuple[Step, Test]]] = {}
        self.by_lower: dict[str, list[tuple[Step, Test]]] = {}
        self.anywhere: list[tuple[Step, Test]] = []
        for number, entry in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            for alternative, pattern in enumerate(patterns):
                self.lengths[number, alternative] = len(pattern)
                for position, spec in enumerate(pattern):
                    self._file((number, alternative, position), spec)
        self.keys: dict[Key, _KeyInfo] = {}

    def _file(self, step: Step, spec: dict[str, Any]) -> None:
        test = (step, _token_test(spec))
        for name, index in (("TAG", self.by_tag), ("LOWER", self.by_lower)):
            value = spec.get(name)
            if isinstance(value, str):
                index.setdefault(value, []).append(test)
                return
            if isinstance(value, dict) and list(value) == ["IN"]:
                for one in value["IN"]:
                    index.setdefault(one, []).append(test)
                return
        self.anywhere.append(test)

    def __call__(self, doc: Doc) -> Doc:
        keys = self.keys
        infos = [
            keys.get(key) or self._learn(key)
            for key in map(tuple, doc.to_array(_KEY_ATTRS).tolist())
        ]
        targets = self._longer_matches(infos)
        for i, info in enumerate(infos):
            if i in targets:
                # Rare ("there is"): apply every matching pattern in the ruler's order.
                for number in sorted(info.numbers + targets[i]):
                    set_token_attrs(doc[i], self.attrs[number])
            elif info.merged:
                set_token_attrs(doc[i], info.merged)
        return doc

    def _learn(self, key: Key) -> _KeyInfo:
        tag, lower, dep, space = key
        s = self.strings
        token = (
            s[tag] if tag else "",
            s[lower] if lower else "",
            s[dep] if dep else "",
            bool(space),
        )
        candidates = self.by_tag.get(token[0], []) + self.by_lower.get(token[1], []) + self.anywhere
        info = _KeyInfo()
        for step, test in sorted(candidates, key=lambda c: c[0]):
            if step in info.holds or not test(token):
                continue
            info.holds.add(step)
            number, alternative, position = step
            length = self.lengths[number, alternative]
            if length == 1 and number not in info.numbers:
                info.numbers.append(number)
                info.merged.update(self.attrs[number])
            elif length > 1 and position == 0:
                info.starts.append((number, alternative, length))
        if len(self.keys) >= _MAX_KEYS:
            self.keys.clear()
        self.keys[key] = info
        return info

    def _longer_matches(self, infos: list[_KeyInfo]) -> dict[int, list[int]]:
        """Token index -> numbers of the patterns of two or more tokens that set it."""
        targets: dict[int, list[int]] = {}
        for start, info in enumerate(infos):
            for number, alternative, length in info.starts:
                end = start + length
                if end > len(infos) or not all(
                    (number, alternative, k - start) in infos[k].holds
                    for k in range(start + 1, end)
                ):
                    continue
                index = self.indices[number]
                at = (start if index >= 0 else end) + index
                if not start <= at < end:
                    raise ValueError(f"attribute ruler pattern {number}: index {index} outside")
                targets.setdefault(at, []).append(number)
        return targets


def _token_test(spec: dict[str, Any]) -> Test:
    """``spec`` (one token of a Matcher pattern) as a test of a token's four values."""
    checks: list[Test] = []
    for name, value in spec.items():
        if name not in _KEY_NAMES:
            raise ValueError(f"attribute ruler pattern tests {name}, not supported: {spec}")
        checks.append(_value_test(_KEY_NAMES.index(name), value, spec))
    return lambda token: all(check(token) for check in checks)


def _value_test(at: int, value: Any, spec: dict[str, Any]) -> Test:
    """The Matcher's reading of one attribute's value: equal, IN, NOT_IN or REGEX."""
    if isinstance(value, str | bool):
        return lambda token: token[at] == value
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda token: token[at] in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda token: token[at] not in banned
        if op == "REGEX":
            regex = re.compile(arg)  # the Matcher searches, it does not match
            return lambda token: regex.search(str(token[at])) is not None
    raise ValueError(f"attribute ruler pattern value not supported: {spec}")


@Language.factory("pw_attribute_table")
def make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    """Built from the pipeline's ``attribute_ruler``, which ``build_pipeline`` then replaces."""
    ruler = nlp.get_pipe(RULER)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{RULER} is a {type(ruler).__name__}, not an AttributeRuler")
    return AttributeTable(ruler)
