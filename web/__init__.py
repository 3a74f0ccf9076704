"""The web app (server-rendered pages) and the REST API under ``/api/v1``, on FastAPI.

``create_app`` builds it around an opened ``workflows.runtime.container.App``; every change
goes through a ``workflows`` use case, every read through ``workflows.queries.desk``,
so the pages, the API and the CLI obey the same rules.

``web.pages`` and ``web.api`` hold the routes, one module per capability, named as in
``workflows/commands`` and ``workflows/queries``; each package's ``router`` includes its modules in
order, and ``web.app`` includes the two. Beside them stands what both use: ``security`` (who is
asking), ``problems`` (errors as HTTP), ``params``, ``flash``, ``before_body``, ``templating``,
``attachments`` (a document as a download) and ``plan_uploads`` (an uploaded plan).
"""
