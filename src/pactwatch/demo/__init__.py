"""The bundled demo corpus and the job that ingests it (README command 1)."""
