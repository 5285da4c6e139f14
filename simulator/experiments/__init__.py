"""Headless use of the core: scripted runs, generated organisations, reports."""
