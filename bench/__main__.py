"""``python -m bench``: run the benchmark scenarios and print the table."""

import os
import sys

from bench.runner import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# Skip interpreter teardown: destroying the Qt objects of the GUI scenarios in garbage
# collection order has aborted the process after the results were written.
os._exit(code)
