"""Cross-cutting pieces every layer may use: settings, logging, the embedding model."""
