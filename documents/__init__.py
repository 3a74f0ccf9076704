"""Action-plan documents in and out: importers (text, docx, xlsx, csv) and exporters."""
