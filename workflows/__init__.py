"""The application layer: use cases (one unit of work each) and the Prefect flows that drive them.

``web``, ``cli`` and flows change state only through the functions here. The rooms:

- ``commands/``: one module per capability that changes state (transitions, extensions, deputies, ...);
- ``queries/``: read models (actions, reviews, the desk, exports, the board pack, the log check);
- ``context.py``: what every use case shares (who acts, in which partnership, on which action, and the
  one builder of a decision record); ``ports/``: what the use cases need from storage, as Protocols (one
  per repository, the transaction ``Tx`` and the ``UnitOfWork``);
  ``errors.py``: their errors, each with its kind; ``isolation.py``: one bad item does not stop a batch;
- ``flows.py``: the Prefect flows (no SQL; they return the use cases' own reports);
- ``runtime/``: settings, the container an entry point builds, the clock, logging, working days.
"""
