"""The commands, one module per capability (the names of ``workflows/commands`` and ``workflows/queries``).

Every module adds its commands and groups the one way, ``register(root)``; ``cli.main`` lists the modules in
the order ``dhrflow --help`` shows them."""
