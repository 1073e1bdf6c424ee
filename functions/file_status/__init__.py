"""Records status changes of a file (files table + audit trail)."""
