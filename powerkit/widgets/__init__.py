"""Widget builders: ipywidgets wired to powerkit functions (one submodule per walkthrough).

Each builder returns the widget box and keeps the callback a plain powerkit function, so tests
call the callback without a browser.
"""
