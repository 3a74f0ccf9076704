"""The commands, one module per capability, named as the capability is in ``workflows/commands`` and
``workflows/queries`` where it is there (``serve``, ``deploy``, ``database``, ``notify`` and ``reports`` name
what they do for the operator).

Every module adds its commands and groups the one way, ``register(root)``; ``cli.main`` lists the modules in
the order ``dhrflow --help`` shows them."""
