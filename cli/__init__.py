"""The ``dhrflow`` command line (Typer)."""
