"""Reading files and folders into RawItems (pactwatch.sources.files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pactwatch.models import Dropped, RawItem
from pactwatch.sources.files import iter_path_items

CAP = 10_000


def read(*paths: Path, cap: int = CAP) -> list[RawItem | Dropped]:
    return list(iter_path_items(paths, max_file_bytes=cap))


def only(items: list[RawItem | Dropped]) -> RawItem | Dropped:
    assert len(items) == 1, items
    return items[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_plain_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "KFOR patrols the north.\n")
    item = only(read(path))
    assert item == RawItem(
        origin=str(path), content="KFOR patrols the north.\n", content_type="text"
    )


def test_markdown_front_matter_gives_metadata_and_body(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.md",
        "---\n"
        "title: Defence ministers meet in Pristina\n"
        "source: Balkan Wire\n"
        "author: A. Writer\n"
        "published: 2024-05-01\n"
        "url: https://news.example/story\n"
        "id: 42\n"
        "tags: [nato, kfor]\n"
        "---\n"
        "The ministers met on Tuesday.\n",
    )
    item = only(read(path))
    assert isinstance(item, RawItem)
    assert item.content == "The ministers met on Tuesday.\n"
    assert item.content_type == "text"
    assert item.title == "Defence ministers meet in Pristina"
    assert item.outlet == "Balkan Wire"
    assert item.author == "A. Writer"
    assert item.published == "2024-05-01"
    assert item.url == "https://news.example/story"
    assert item.external_id == "42"


def test_front_matter_outlet_wins_over_source_and_datetimes_keep_their_zone(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "a.txt",
        "---\noutlet: Koha\nsource: Other\npublished: 2024-05-01 10:30:00+02:00\n---\nBody.\n",
    )
    item = only(read(path))
    assert isinstance(item, RawItem)
    assert item.outlet == "Koha"
    assert item.published == "2024-05-01T10:30:00+02:00"


def test_unclosed_front_matter_is_plain_text(tmp_path: Path) -> None:
    text = "---\nnot closed, so this is all body\n"
    item = only(read(write(tmp_path / "a.md", text)))
    assert isinstance(item, RawItem)
    assert item.content == text
    assert item.title is None


@pytest.mark.parametrize(
    ("front", "detail_part"),
    [
        ("title: [unclosed\n", "line"),
        ("title: [a, b]\n", "'title' must be text, not list"),
        ("- just\n- a list\n", "not a list"),
    ],
)
def test_bad_front_matter_is_dropped(tmp_path: Path, front: str, detail_part: str) -> None:
    path = write(tmp_path / "a.md", f"---\n{front}---\nBody.\n")
    item = only(read(path))
    assert isinstance(item, Dropped)
    assert item.reason == "malformed_front_matter"
    assert detail_part in item.detail


def test_html_file_is_html_and_front_matter_is_not_looked_for(tmp_path: Path) -> None:
    html = "---\ntitle: x\n---\n<p>Hi</p>"
    item = only(read(write(tmp_path / "page.HTM", html)))
    assert isinstance(item, RawItem)
    assert item.content_type == "html"
    assert item.content == html
    assert item.title is None


def test_utf8_bom_is_accepted_and_removed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\ufeffPrishtinë".encode())
    item = only(read(path))
    assert isinstance(item, RawItem)
    assert item.content == "Prishtinë"


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Prishtinë".encode("cp1250"))
    item = only(read(path))
    assert item == Dropped(
        str(path), "not_utf8", "not valid UTF-8 (byte 0xeb at offset 8); save it as UTF-8"
    )


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "x" * 101)
    item = only(read(path, cap=100))
    assert isinstance(item, Dropped)
    assert item.reason == "too_large"
    assert item.detail == "101 bytes, over the cap of 100"
    assert isinstance(only(read(path, cap=101)), RawItem)


@pytest.mark.parametrize("content", ["", "  \n\t\n", "---\ntitle: Only metadata\n---\n"])
def test_empty(tmp_path: Path, content: str) -> None:
    item = only(read(write(tmp_path / "a.md", content)))
    assert isinstance(item, Dropped)
    assert item.reason == "empty"


def test_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert read(missing) == [Dropped(str(missing), "not_found", "no such file or folder")]


@pytest.mark.parametrize("name", ["report.pdf", "README"])
def test_unsupported_type_named_explicitly(tmp_path: Path, name: str) -> None:
    item = only(read(write(tmp_path / name, "x")))
    assert isinstance(item, Dropped)
    assert item.reason == "unsupported"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, where chmod does not stop reading: make open() refuse instead.
    path = write(tmp_path / "secret.txt", "x")
    real_open = Path.open

    def refusing_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refusing_open)
    assert read(path) == [Dropped(str(path), "unreadable", "permission denied")]


def test_unreadable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()

    def refusing_iterdir(self: Path) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refusing_iterdir)
    item = only(read(folder))
    assert isinstance(item, Dropped)
    assert (item.origin, item.reason) == (str(folder), "unreadable")


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "b")
    write(root / "a.md", "a")
    write(root / "sub" / "c.html", "<p>c</p>")
    write(root / "sub" / "deeper" / "d.txt", "d")
    write(root / "notes.docx", "skipped silently")
    write(root / ".hidden.txt", "skipped")
    write(root / ".git" / "e.txt", "skipped")
    items = read(root)
    assert all(isinstance(item, RawItem) for item in items)
    assert [Path(item.origin).relative_to(root).as_posix() for item in items] == [
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/deeper/d.txt",
    ]


def test_symlinks_inside_a_folder_are_dropped_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside / "private.txt", "not for the corpus")
    root = tmp_path / "corpus"
    write(root / "real.txt", "real")
    (root / "link.txt").symlink_to(outside / "private.txt")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    (root / "link.bin").symlink_to(outside / "private.txt")  # not our type: skipped
    items = read(root)
    assert [(Path(item.origin).name, getattr(item, "reason", "ok")) for item in items] == [
        ("link.txt", "symlink"),
        ("linkdir", "symlink"),
        ("real.txt", "ok"),
    ]


def test_a_symlink_named_explicitly_is_read(tmp_path: Path) -> None:
    target = write(tmp_path / "target.txt", "chosen by the user")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    item = only(read(link))
    assert isinstance(item, RawItem)
    assert item.content == "chosen by the user"


def test_jsonl_keeps_good_lines_and_drops_bad_ones_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 7, "text": "First story.", "title": "One", "source": "Koha"}),
        "",
        "{not json",
        json.dumps({"html": "<p>Second</p>", "url": "https://news.example/2"}),
        json.dumps(["an", "array"]),
        json.dumps({"title": "no body"}),
        json.dumps({"text": "Typed wrong", "title": 5}),
        json.dumps({"text": 12}),
        "   ",
        json.dumps(
            {
                "text": "Third \u2028 story.",
                "id": "x-3",
                "published": "2024-05-02",
                "author": "B",
                "outlet": "RFE/RL",
            },
            ensure_ascii=False,
        ),
    ]
    path = write(tmp_path / "docs.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    summary = [(item.origin.rsplit(":", 1)[1], getattr(item, "reason", "ok")) for item in items]
    assert summary == [
        ("1", "ok"),
        ("3", "malformed_jsonl"),
        ("4", "ok"),
        ("5", "malformed_jsonl"),
        ("6", "malformed_jsonl"),
        ("7", "malformed_jsonl"),
        ("8", "malformed_jsonl"),
        ("10", "ok"),
    ]
    first, second, third = (item for item in items if isinstance(item, RawItem))
    assert first == RawItem(
        origin=f"{path}:1",
        content="First story.",
        content_type="text",
        title="One",
        outlet="Koha",
        external_id="7",
    )
    assert (second.content_type, second.url) == ("html", "https://news.example/2")
    assert (third.content, third.external_id, third.published, third.author, third.outlet) == (
        "Third \u2028 story.",
        "x-3",
        "2024-05-02",
        "B",
        "RFE/RL",
    )
    details = {
        item.origin.rsplit(":", 1)[1]: item.detail for item in items if isinstance(item, Dropped)
    }
    assert details["5"] == "a JSON object is needed, not list"
    assert details["6"] == 'the object has no "text" or "html" field'
    assert details["7"] == '"title" must be a string, not int'
    assert details["8"] == '"text" must be a string, not int'


def test_jsonl_line_that_is_not_utf8_is_dropped_alone(tmp_path: Path) -> None:
    good = json.dumps({"text": "fine"}).encode()
    bad = json.dumps({"text": "Prishtinë"}, ensure_ascii=False).encode("cp1250")
    path = write(tmp_path / "docs.jsonl", b"\xef\xbb\xbf" + good + b"\n" + bad + b"\n")
    items = read(path)
    assert isinstance(items[0], RawItem)
    assert items[0].content == "fine"
    assert isinstance(items[1], Dropped)
    assert (items[1].origin, items[1].reason) == (f"{path}:2", "not_utf8")


def test_jsonl_with_only_blank_lines_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "docs.jsonl", "\n  \n\n")
    assert read(path) == [Dropped(str(path), "empty", "the file has no documents")]


def test_jsonl_document_with_empty_text_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "docs.jsonl", json.dumps({"text": "  "}) + "\n")
    item = only(read(path))
    assert isinstance(item, Dropped)
    assert (item.origin, item.reason) == (f"{path}:1", "empty")


def test_several_paths_keep_their_order(tmp_path: Path) -> None:
    b = write(tmp_path / "b.txt", "b")
    a = write(tmp_path / "a.txt", "a")
    assert [item.origin for item in read(b, tmp_path / "missing.md", a)] == [
        str(b),
        str(tmp_path / "missing.md"),
        str(a),
    ]
