"""SQLModel tables, repositories, the unit of work, migrations and the evidence file store."""
