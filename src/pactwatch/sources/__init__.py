"""Sources: files, URLs and feeds turned into ``RawItem`` records (or ``Dropped`` ones).

- ``files``: text, Markdown, HTML and JSON Lines files and folders.
- ``netguard``: which addresses we may connect to (the SSRF guard), enforced at connect time.
- ``robots``: robots.txt rules per origin, RFC 9309.
- ``fetch``: ``SafeFetcher``, the one way pactwatch gets a URL.
- ``feeds``: RSS and Atom polling with conditional GET.

Nothing is imported here so that reading files does not load the HTTP stack.
"""
