"""The use cases that change something, one module per capability (the same name in ``cli/``, ``web/``
and the tests): each takes what a person or the clock asks, opens one unit of work, lets the domain
decide, and writes the change, its decision and its notifications together."""
