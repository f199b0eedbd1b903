"""The headless core: documents, anchoring, the store and the operations that change it.

Nothing under ``reviewer.core`` may import PySide6; ``tests/test_layering.py`` proves it.
"""
