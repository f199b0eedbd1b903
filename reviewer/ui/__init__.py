"""The Qt shell: widgets are wiring, decisions live in reviewer.core.

``render_process``, ``layout`` and ``text_index`` import no Qt (the render worker runs them).
"""
