"""``python -m pactwatch`` is the ``pactwatch`` command."""

from pactwatch.cli import app

app()
