"""The web chat (Gradio) and the JSON HTTP API beside it; `ui.web.app.serve` starts both."""
