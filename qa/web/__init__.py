"""The web UI: `app` (Gradio Blocks wiring), `handlers` (events), `render` and `sidebar` (HTML from
pure functions), `static/` (app.css, app.js). `ui.py` at the top of the repository serves it."""
