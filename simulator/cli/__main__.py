"""``python -m simulator.cli``: the command line (``serve`` starts its sessions this way)."""

from . import main

main()
