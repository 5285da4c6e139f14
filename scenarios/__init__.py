"""The shipped scenario library (installed as the package ``simulator.library``)."""
