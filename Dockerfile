# Quarry: build in the Rust image, run in Debian slim as a non-root user.
#   docker build -t quarry .
#   docker run --rm quarry ask "When was the C5+1 summit at the White House held?"

FROM rust:1-slim-bookworm AS build
WORKDIR /src

# The crates and the target folder live in build caches, kept between builds
# (BuildKit and buildah both keep them), so a rebuild compiles only what
# changed: Quarry itself, or the crates a new Cargo.lock names. The first
# build compiles everything from source. The binary is copied out of the
# cache, which is not part of the image.
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY benches benches
# COPY keeps the files' times, which may be older than the cached build:
# make sure cargo sees the sources as new.
RUN --mount=type=cache,id=quarry-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,id=quarry-target,target=/src/target,sharing=locked \
    find src -type f -exec touch {} + \
    && cargo build --release --locked --bin quarry \
    && cp target/release/quarry /usr/local/bin/quarry

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/quarry quarry \
    && mkdir -p /data \
    && chown quarry:quarry /data
COPY --from=build /usr/local/bin/quarry /usr/local/bin/quarry
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
