"""The extraction stage: a spaCy pipeline with pactwatch's own components."""
