"""Reporters: a run's findings as table, JSON, JUnit, GitHub, SARIF, GitLab."""
