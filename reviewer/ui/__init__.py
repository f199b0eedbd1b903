"""The Qt shell. Modules here may import PySide6; ``render_process``, ``head_start`` and
``layout`` do not.

Importing the package itself loads nothing: the launcher starts the head-start render worker
(``head_start``) before Qt is loaded, and render workers never load Qt. ``reviewer.ui.app``, the
way into the window, applies the PySide6 workarounds (``pyside_workarounds``) before anything
else of Qt's is imported.
"""
