"""Peak memory of a process as Linux counts it, for the probes (stdlib only: the floor probe
imports it too)."""

from __future__ import annotations

from pathlib import Path


def vm_hwm_mb(pid: int | str = "self") -> float:
    """VmHWM in MB: unlike ru_maxrss, it starts afresh at exec (ru_maxrss keeps the parent's
    peak). 0.0 for a process that has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
