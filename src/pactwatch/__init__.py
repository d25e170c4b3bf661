"""pactwatch: checked intelligence from open-source news about security partnerships."""

__version__ = "0.1.0"
