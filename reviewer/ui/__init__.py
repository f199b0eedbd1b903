"""The Qt shell: widgets are wiring, decisions live in reviewer.core."""
