#!/usr/bin/env bash
# Builds the Dockerfile and checks the image:
#   1. `quarry ask` answers from the baked corpus, with a citation;
#   2. with another corpus mounted on /corpus, it answers from that one;
#   3. the process runs as a non-root user;
#   4. `serve` without a token stops with exit code 2;
#   5. the image carries its HEALTHCHECK.
# Uses docker when an engine is running, otherwise buildah (chroot isolation,
# base images present locally).
set -euo pipefail
cd "$(dirname "$0")/.."

image=localhost/quarry:smoke
question="When was the C5+1 summit at the White House held?"

if docker info >/dev/null 2>&1; then
  engine=docker
else
  engine=buildah
fi
echo "docker-smoke: building the image with $engine"
if [ "$engine" = docker ]; then
  docker build -t "$image" .
else
  buildah bud --isolation chroot --pull=never --format docker --layers -t "$image" .
fi

# run [VOLUME] -- ARGS...: runs `quarry ARGS` in a fresh container.
run() {
  local volume=()
  if [ "$1" != "--" ]; then volume=(-v "$1"); shift; fi
  shift
  if [ "$engine" = docker ]; then
    docker run --rm "${volume[@]}" "$image" "$@"
  else
    local c status=0
    c=$(buildah from --pull=never "$image")
    buildah run --isolation chroot "${volume[@]}" "$c" -- quarry "$@" || status=$?
    buildah rm "$c" >/dev/null
    return "$status"
  fi
}

# first_citation JSON: "answered file" of the first quote.
first_citation() {
  python3 -c 'import json,sys; a=json.load(sys.stdin); q=a["quotes"]; print(a["answered"], q[0]["file"] if q else "-")'
}

fail() { echo "docker-smoke: FAIL: $*" >&2; exit 1; }

got=$(run -- ask --json "$question" | first_citation)
[ "$got" = "True 002_d0b6e18816bb1e79.txt" ] || fail "baked corpus: $got"
echo "docker-smoke: baked corpus answered with a citation ($got)"

other=$(mktemp -d)
trap 'rm -rf "$other"' EXIT
cat > "$other/probe.md" <<'DOC'
---
title: Probe log
published: 2031-03-10
---
# Launch

The Orion survey probe launched from Kourou on March 3, 2031, after two delays.
DOC
chmod -R a+rX "$other"
got=$(run "$other:/corpus:ro" -- ask --json "When did the Orion survey probe launch?" | first_citation)
[ "$got" = "True probe.md" ] || fail "mounted corpus: $got"
echo "docker-smoke: mounted corpus answered from its own file ($got)"

if [ "$engine" = docker ]; then
  uid=$(docker run --rm --entrypoint id "$image" -u)
else
  c=$(buildah from --pull=never "$image")
  uid=$(buildah run --isolation chroot "$c" -- id -u)
  buildah rm "$c" >/dev/null
fi
[ "$uid" != 0 ] || fail "the image runs as root"
echo "docker-smoke: runs as uid $uid"

status=0
run -- serve >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || fail "serve without a token exited $status, expected 2"
echo "docker-smoke: serve without a token exits 2"

# Both engines print the image config as JSON; pick out the healthcheck.
if [ "$engine" = docker ]; then
  config=$(docker image inspect "$image")
else
  config=$(buildah inspect --type image "$image")
fi
health=$(printf '%s' "$config" | python3 -c '
import json, sys
c = json.load(sys.stdin)
c = c[0] if isinstance(c, list) else c
# docker: .Config.Healthcheck; buildah: .Docker.config.Healthcheck
config = c.get("Config") if isinstance(c.get("Config"), dict) else (c.get("Docker") or {}).get("config")
print(json.dumps((config or {}).get("Healthcheck")))')
case "$health" in *quarry*health*) ;; *) fail "no HEALTHCHECK: $health" ;; esac
echo "docker-smoke: HEALTHCHECK present"
echo "docker-smoke: OK"
