"""The tables (SQLAlchemy Core), repositories, the unit of work, migrations and the evidence file store."""
