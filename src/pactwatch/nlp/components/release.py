"""``pw_release``: let go of spaCy's token vectors once every component has run.

``tok2vec`` leaves a 96-float vector per token in ``doc.tensor`` for the tagger, parser
and entity recogniser; nothing after them reads it, and our output never does. With
``nlp.pipe(n_process=N)`` each Doc travels back from its worker as ``Doc.to_bytes()``,
tensor included: about two thirds of the bytes (50 MB for the 148 documents of the
speed benchmark), packed by the worker and unpacked by the main process, which also
does the checks and the output and so sets the pace. Emptied here, it is not sent.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("pw_release")
def release_tensor(doc: Doc) -> Doc:
    """The Doc with ``tensor`` as a new Doc has it: empty."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc
