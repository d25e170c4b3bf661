"""Stray-text removal: other pages' headlines and site boilerplate, each recorded."""

from __future__ import annotations

import pytest

from pactwatch.documents.stray import is_headline_line, remove_stray_lines
from pactwatch.models import RemovedText

ARTICLE = [
    "Kosovo and NATO discuss security",
    "PRISTINA, May 30, 2023 (BWS) - Kosovo's foreign minister met the US ambassador to NATO.",
    "Both sides reiterated their commitment to regional security.",
]
WAPO = "Opinion | Trump just dealt Russia a devastating blow – The Washington Post"


@pytest.mark.parametrize(
    "line",
    [
        WAPO,
        "Kosovo and Serbia leaders meet in Brussels | Balkan Insight",
        "Kosovo and Serbia leaders meet in Brussels – Balkan Insight",
        "Kosovo and Serbia leaders meet in Brussels - Balkan Insight",
        "KFOR boosts troops in north Kosovo - balkaninsight.com",
        "World | Is Kosovo ready for the next step? — Radio Free Europe",
        "Kosovo police detained two men on Monday | Reuters",
    ],
)
def test_headline_shapes_are_recognised(line: str) -> None:
    assert is_headline_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Zemaj and US Leadership: Strengthening NATO Ties in Kosovo",
        "In Conclusion",
        "- Joint Military Exercises: enhancing interoperability and readiness of the KSF.",
        "PRISTINA, May 30 (Reuters) - Kosovo police said two men were detained.",
        "PRISTINA (Reuters) - Kosovo Police",
        "Kosovo police detained two men on Monday - Reuters",
        "Kosovo and Serbia agreed to resume talks, officials said. - Reuters",
        "Reporting by Fatos Bytyci - Editing by Alison Williams",
        "The vote was 54 - 12 in favour of the law",
        "Turnout was low | officials blamed the weather and the boycott.",
        "Home | News | Kosovo",
        "The minister said - and repeated it twice - that Kosovo Stands Firm",
    ],
)
def test_article_lines_are_not_headlines(line: str) -> None:
    assert not is_headline_line(line)


def test_trailing_headline_is_removed_with_its_line_number() -> None:
    result = remove_stray_lines("\n".join([*ARTICLE, WAPO]), title=None)
    assert result.text == "\n".join(ARTICLE)
    assert result.removed == [RemovedText(text=WAPO, reason="stray_headline", line=4)]


def test_several_trailing_headlines_are_peeled_off() -> None:
    tail = ["Serbia and Kosovo leaders meet in Brussels | Balkan Wire", "", WAPO]
    result = remove_stray_lines("\n".join([*ARTICLE, *tail]), title=None)
    assert result.text == "\n".join(ARTICLE)
    assert [(r.line, r.reason) for r in result.removed] == [
        (4, "stray_headline"),
        (6, "stray_headline"),
    ]


def test_headline_in_the_middle_is_kept() -> None:
    text = "\n".join([ARTICLE[1], WAPO, ARTICLE[2]])
    assert remove_stray_lines(text, title=None).removed == []


def test_first_line_equal_to_the_title_is_kept_and_so_is_a_later_duplicate() -> None:
    title = "KFOR and KSF hold joint drills near Pristina | Balkan Wire"
    text = "\n".join([title, *ARTICLE[1:], title])
    result = remove_stray_lines(text, title=title)
    assert result.text == text
    assert result.removed == []


def test_leading_own_headline_with_outlet_suffix_is_kept() -> None:
    text = "\n".join(["KFOR and KSF hold joint drills near Pristina | Balkan Wire", *ARTICLE[1:]])
    result = remove_stray_lines(text, title="KFOR and KSF hold joint drills near Pristina")
    assert result.removed == []


def test_leading_headline_of_another_article_is_removed_when_the_title_is_known() -> None:
    text = "\n".join([WAPO, *ARTICLE])
    result = remove_stray_lines(text, title=ARTICLE[0])
    assert result.text == "\n".join(ARTICLE)
    assert result.removed == [RemovedText(text=WAPO, reason="stray_headline", line=1)]


def test_leading_headline_is_kept_when_the_title_is_unknown() -> None:
    text = "\n".join([WAPO, *ARTICLE])
    assert remove_stray_lines(text, title=None).removed == []


def test_the_only_line_is_never_a_stray_headline() -> None:
    assert remove_stray_lines(WAPO, title=None).removed == []


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share this story:",
        "Read more:",
        "Read more: Kosovo and Serbia leaders meet in Brussels",
        "READ MORE",
        "Subscribe to our newsletter",
        "Sign up for our newsletter to get the latest news",
        "© 2024 Balkan Wire. All rights reserved.",
        "We use cookies to improve your experience.",
        "Cookie settings",
        "Cookies",
        "By continuing you accept our cookie policy.",
        "Advertisement",
        "ADVERTISEMENT - scroll to continue",
        "Click here to download the full report",
        "Follow us on Facebook and X",
    ],
)
def test_boilerplate_lines_are_removed_anywhere(line: str) -> None:
    text = "\n".join([ARTICLE[0], ARTICLE[1], line, ARTICLE[2]])
    result = remove_stray_lines(text, title=ARTICLE[0])
    assert result.text == "\n".join(ARTICLE)
    assert result.removed == [RemovedText(text=line, reason="boilerplate", line=3)]


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the government would read more reports before deciding.",
        "Readers can share this article's findings with the ministry, the NGO said.",
        "A bakery in Pristina gave cookies to the soldiers, who thanked the residents.",
        "Officials said the advertisement campaign for KSF recruits would start in May.",
        "Kosovo will follow up on the talks with Serbia in Brussels next month.",
    ],
)
def test_article_sentences_with_boilerplate_words_are_kept(line: str) -> None:
    text = "\n".join([*ARTICLE, line])
    assert remove_stray_lines(text, title=None).removed == []


def test_removals_leave_no_doubled_blank_lines() -> None:
    text = "First paragraph.\n\nAdvertisement\n\nSecond paragraph.\n\nShare this article"
    result = remove_stray_lines(text, title=None)
    assert result.text == "First paragraph.\n\nSecond paragraph."
    assert [r.line for r in result.removed] == [3, 7]


def test_text_without_stray_lines_is_returned_unchanged() -> None:
    text = "\n".join(ARTICLE)
    result = remove_stray_lines(text, title=None)
    assert result.text == text
    assert result.removed == []
