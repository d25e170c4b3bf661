"""Checking what pactwatch reads: contradictions inside a document, claims against the
reference data, corroboration and disagreement across documents, and credibility.

Every doubt is a ``Flag`` (``verify.flags``): a kind, a severity, one plain-language line,
and the evidence (spans of the text, reference records). Credibility
(``verify.credibility``) weighs the flags, the independent sources and the modality into
one score between 0 and 1 with its reasons.
"""
