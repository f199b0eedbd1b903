"""Benchmarks: every interaction measured next to the floor the libraries allow (``python -m bench``)."""
