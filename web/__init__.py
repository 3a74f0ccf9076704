"""The FastAPI web app and REST API (issue 5)."""
