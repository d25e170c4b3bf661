"""pactwatch's spaCy components; importing a module registers its factory."""
