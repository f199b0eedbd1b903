"""Scripts the runner starts in fresh interpreters (cold start, memory)."""
