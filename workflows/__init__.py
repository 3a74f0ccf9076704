"""The application layer: use cases (one unit of work each) and the Prefect flows that drive them.

``web``, ``cli`` and flows change state only through the functions here.
"""
