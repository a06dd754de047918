"""Vietnamese language helpers shared by NLU and knowledge search (no I/O, no models)."""
