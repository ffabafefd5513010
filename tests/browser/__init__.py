"""Browser tests (JupyterLab in Debian Chromium)."""
