"""The safety tests share ``safety_helpers`` and ``fuzz_inputs`` from this folder."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
