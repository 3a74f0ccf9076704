"""Read models: what the CLI, the web app and the documents show. Nothing here changes state, and nothing
here imports ``workflows.commands`` (``make lint`` holds it)."""
