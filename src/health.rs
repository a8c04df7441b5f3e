//! Optional HTTP listener: /healthz and Prometheus /metrics.
