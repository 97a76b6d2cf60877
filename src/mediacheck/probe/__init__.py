"""Probers: one module per kind of input, each turning a file into Facts."""
