"""Reference knowledge: countries, organisations, office holders and places.

    from pactwatch.knowledge import load_knowledge
    kb = load_knowledge()
    kb.country("Kosovo's").code                          # "XKX"
    kb.holder_of("XKX:prime_minister", date(2024, 6, 1)).person   # "Albin Kurti"

The facts live in YAML files under ``knowledge/data/`` (each with the date it was
checked, its sources and the last date they confirm); analysts add their own folders
through the ``knowledge_dirs`` setting. See ``loader.py`` for how files are merged.
"""

from pactwatch.knowledge.loader import DATA_DIR, load_knowledge
from pactwatch.knowledge.lookup import Knowledge
from pactwatch.knowledge.model import (
    Country,
    EthnicGroup,
    Holding,
    Office,
    Organisation,
    Person,
    Place,
)
from pactwatch.knowledge.reading import KnowledgeDataError
from pactwatch.knowledge.text import fold

__all__ = [
    "DATA_DIR",
    "Country",
    "EthnicGroup",
    "Holding",
    "Knowledge",
    "KnowledgeDataError",
    "Office",
    "Organisation",
    "Person",
    "Place",
    "fold",
    "load_knowledge",
]
