"""What is read and written: sessions, exports, settings, recordings."""
