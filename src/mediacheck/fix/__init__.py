"""mediacheck fix: a pure plan from the failing rules, then ffmpeg or Pillow."""
