"""Pieces of the reports for people (HTML, CSV, XLSX); not reporters themselves."""
