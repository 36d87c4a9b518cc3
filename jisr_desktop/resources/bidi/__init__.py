"""Unicode bidi data shipped with the program (mirroring glyphs, from BidiMirroring.txt)."""
