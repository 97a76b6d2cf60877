"""The ISO BMFF (MP4) reader: sample tables without media data. No facts, no rules."""
