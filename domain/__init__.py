"""Pure rules of dhrflow: the model, the lifecycle table, roles, RAG, calendar, events, errors.

Standard library only: nothing here imports a framework or another dhrflow package.
"""
