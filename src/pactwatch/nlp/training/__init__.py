"""Scripts that (re)train the small models shipped in ``pactwatch/nlp/models``."""
