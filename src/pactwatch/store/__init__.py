"""The store: SQLAlchemy Core schema, migrations, writes and queries (SQLite or PostgreSQL)."""
