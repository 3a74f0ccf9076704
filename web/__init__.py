"""The web app (server-rendered pages) and the REST API under ``/api/v1``, on FastAPI.

``create_app`` builds it around an opened ``workflows.runtime.container.App``; every change
goes through a ``workflows`` use case, every read through ``workflows.queries.desk``,
so the pages, the API and the CLI obey the same rules.
"""
