"""The dashboard and REST API: one FastAPI app over the store (``create_app`` in ``app.py``).

Imports nothing heavy at package import time, so ``pactwatch`` commands that never serve
do not pay for FastAPI.
"""
