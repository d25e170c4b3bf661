"""The documents stage: a ``RawItem`` becomes a cleaned ``Document`` (or a ``Dropped``).

    html.py       HTML page -> article text and page metadata (trafilatura)
    normalize.py  Unicode, whitespace and missing-space repairs, each repair recorded
    stray.py      lines that belong to another page (headlines, boilerplate), each recorded
    dates.py      publication date from metadata, else from the dateline
    dedup.py      stable text ids and the MinHash index of near-duplicates
    build.py      the stage itself: ``build_document(item, settings=..., fetched_at=...)``

Nothing here touches the store; every function is pure compute. The package imports
nothing at import time, so ``pactwatch.documents.dedup`` can be used without loading
trafilatura or dateparser.
"""
