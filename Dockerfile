# Quarry: build in the Rust image, run in Debian slim as a non-root user.
#   docker build -t quarry .
#   docker run --rm quarry ask "When was the C5+1 summit at the White House held?"

FROM rust:1-slim-bookworm AS build
WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when Cargo.toml
# or Cargo.lock change, not on every change to src/.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/engine.rs \
    && echo 'fn main() {}' > benches/discord_load.rs \
    && cargo build --release --locked --bin quarry \
    && rm -rf src

COPY src src
# COPY keeps the files' old times; make sure cargo sees the real sources as new.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin quarry

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/quarry quarry \
    && mkdir -p /data \
    && chown quarry:quarry /data
COPY --from=build /src/target/release/quarry /usr/local/bin/quarry
# The bundled corpus; mount another folder on /corpus to answer from it.
COPY corpus /corpus
COPY config/quarry.toml /home/quarry/config/quarry.toml

ENV QUARRY_CORPUS_DIR=/corpus \
    QUARRY_DATA_DIR=/data \
    QUARRY_HTTP_LISTEN=0.0.0.0:8080 \
    RUST_LOG=info
USER quarry
WORKDIR /home/quarry
# The index and feedback.jsonl.
VOLUME ["/data"]
EXPOSE 8080

# Healthy when the index is loaded and the gateway is connected.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["quarry", "health"]

ENTRYPOINT ["quarry"]
CMD ["serve"]
