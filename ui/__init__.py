"""newsdesk's web chat (Gradio) and its JSON HTTP API; `ui.app.serve` starts them."""
