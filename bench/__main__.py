"""``python -m bench``: run the benchmark scenarios and print the table."""

from bench.runner import main

raise SystemExit(main())
