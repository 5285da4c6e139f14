"""``python -m simulator``: the same as the ``trustsim`` command."""

from .launch import main

main()
