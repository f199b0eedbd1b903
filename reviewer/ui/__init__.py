"""The Qt shell. Modules here may import PySide6; ``render_process`` and ``layout`` do not."""
