"""The commands, one module per capability (the names of ``workflows/commands`` and ``workflows/queries``)."""
