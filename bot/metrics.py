"""Prometheus metrics at /metrics: messages, turn latency, answer status, errors, deliveries.

With several worker processes `civic serve` sets PROMETHEUS_MULTIPROC_DIR before the workers
start, and /metrics aggregates every process's numbers."""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess

MESSAGES = Counter("civic_messages_total", "Incoming user messages", ["channel"])
LATENCY = Histogram(
    "civic_turn_seconds", "Time to answer one message", ["channel"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
ANSWERS = Counter("civic_answers_total", "Turns by answer status (answered, no_content_found, ...)", ["channel", "status"])
ERRORS = Counter("civic_errors_total", "Errors by channel and kind", ["channel", "kind"])
DELIVERIES = Counter("civic_deliveries_total", "Outgoing queued messages by outcome", ["channel", "outcome"])


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
