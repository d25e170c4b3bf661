"""Normalisation: canonical whitespace and Unicode, and narrow missing-space repairs."""

from __future__ import annotations

import pytest

from pactwatch.documents.normalize import normalize_text, repair_missing_spaces
from pactwatch.models import TextRepair


@pytest.mark.parametrize(
    ("line", "before", "after"),
    [
        ("peace and stability in the Balkans.Through collaborative projects",
         "Balkans.Through", "Balkans. Through"),
        ("By collaborating closely with NATO, the U.S.is enhancing", "U.S.is", "U.S. is"),
        ("talks with the E.U.and Serbia", "E.U.and", "E.U. and"),
        ("roads, bridges, etc.The ministry said", "etc.The", "etc. The"),
        ("the Kosovo Security Force.Its commander", "Force.Its", "Force. Its"),
        ("a meeting in Prishtinë.Gërvalla said", "Prishtinë.Gërvalla", "Prishtinë. Gërvalla"),
    ],
)  # fmt: skip
def test_missing_space_after_sentence_end_is_repaired(line: str, before: str, after: str) -> None:
    repaired, repairs = repair_missing_spaces(line, line_number=7)
    assert repaired == line.replace(before, after)
    assert repairs == [TextRepair(before=before, after=after, line=7)]


@pytest.mark.parametrize(
    "line",
    [
        "support from the U.S.",
        "the U.S. is a key ally",
        "U.S.-led training programs",
        "the U.S.-Kosovo dialogue",
        "allies, e.g. Germany and Italy",
        "allies, e.g.Germany and Italy",
        "the force, i.e. the KSF",
        "the force, i.e.the KSF",
        "a budget of 3.5 million euros",
        "the meeting began at 10.30 local time",
        "running version 2.0.1 of the software",
        "see v1.2.3 for details",
        "read it on balkanwire.example today",
        "visit www.nato.int for the statement",
        "the site WWW.NATO.INT was down",
        "the statement at https://www.nato.int/cps/en/natohq/News.Release.html",
        "nato.int/Kosovo.Html has the text",
        "write to press.Office@nato.int or media@kfor.example",
        "Visit Balkanwire.Com for more",
        "a novel by J.R.R.Tolkien",
        "J.R.R. Tolkien wrote it",
        "the No.1 priority",
        "the M.P.s voted",
        "the U.S.S.R. collapsed",
        "a Ph.D. in law",
        "between 9 a.m. and 5 p.m.",
        "Kosovo.Online.rs reported",
        "the NATO.Int portal",
    ],
)
def test_no_repair_where_the_dot_is_not_a_sentence_end(line: str) -> None:
    assert repair_missing_spaces(line) == (line, [])


def test_repairs_record_the_input_line_number() -> None:
    text = "First line.\n\n\nSecond with the U.S.is here.\nThird in the Balkans.Through it."
    result = normalize_text(text)
    assert result.text == (
        "First line.\n\nSecond with the U.S. is here.\nThird in the Balkans. Through it."
    )
    assert result.repairs == [
        TextRepair(before="U.S.is", after="U.S. is", line=4),
        TextRepair(before="Balkans.Through", after="Balkans. Through", line=5),
    ]


def test_several_repairs_on_one_line_are_each_recorded() -> None:
    repaired, repairs = repair_missing_spaces("The U.S.is here.Then the Balkans.Through it.")
    assert repaired == "The U.S. is here. Then the Balkans. Through it."
    assert [r.before for r in repairs] == ["U.S.is", "here.Then", "Balkans.Through"]


def test_whitespace_is_collapsed_inside_lines_and_lines_are_stripped() -> None:
    result = normalize_text("  Kosovo \t and\u00a0\u00a0NATO  \n\tSecond   line\t")
    assert result.text == "Kosovo and NATO\nSecond line"


def test_line_endings_become_newlines() -> None:
    assert normalize_text("a\r\nb\rc\u2028d\u2029e\x85f\x0cg").text == "a\nb\nc\nd\ne\nf\ng"


def test_blank_line_runs_collapse_to_one_and_edges_are_trimmed() -> None:
    result = normalize_text("\n\n  \nFirst\n\n\n\n\nSecond\n \t \nThird\n\n\n")
    assert result.text == "First\n\nSecond\n\nThird"
    assert result.source_lines == (4, 8, 9, 10, 11)


def test_zero_width_and_control_characters_are_removed() -> None:
    text = "\ufeffKo\u200bso\u200dvo\u00ad's\x00 army\x07 and\u200e NATO\x1b"
    assert normalize_text(text).text == "Kosovo's army and NATO"


def test_unicode_is_nfc() -> None:
    decomposed = "Prishtine\u0308 and Gje\u0301"  # e + combining diaeresis / acute
    assert normalize_text(decomposed).text == "Prishtinë and Gjé"


def test_normalising_twice_changes_nothing() -> None:
    once = normalize_text("A  line\r\n\r\n\r\nin the Balkans.Through the U.S.is it.\u200b")
    twice = normalize_text(once.text)
    assert twice.text == once.text
    assert twice.repairs == []


def test_empty_and_blank_text() -> None:
    assert normalize_text("").text == ""
    assert normalize_text(" \n\t\n\u200b\n").text == ""
    assert normalize_text(" \n\t\n").source_lines == ()
