"""Field-level encryption, blind indexes and encrypted files (ARCHITECTURE.md §4)."""
