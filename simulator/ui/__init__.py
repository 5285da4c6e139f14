"""The Textual interface: thin, it only renders the core's records."""
