"""Sets of files (a case) get facts computed from their members' facts."""
