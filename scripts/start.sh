#!/bin/sh
# `npm start`: runs the compiled server (dist/server/server.mjs) with plain node, building it first
# when it is missing or older than the sources (`npm run build -- server`, a few seconds).
#
# A POSIX shell script rather than a node one: it checks and then becomes the server (exec), so a
# start pays for one node process, not two (about 0.1 s of the 0.5 s to the first answer), and the
# server is the process a process manager or `npm start` signals.
#
# The server starts with MALLOC_ARENA_MAX=1 (unless the environment sets it): glibc then keeps one
# malloc arena instead of one per thread while photos are downscaled, about 40 MB less at the peak.
# It can only be set before node starts, which is why a launcher sets it. V8's young generation is
# capped at 4 MB semi-spaces ahead of any NODE_OPTIONS of the environment (a later value there
# wins): left alone, V8 sizes it from the machine's memory (16 MB semi-spaces on a host with more
# than 2 GB) and a server grows into it; capped, one email with ten 8 MB photos peaks lower and a
# server after a burst of visitors holds about 20 MB less (bench/peak-rss.ts). The Dockerfile sets
# the same two.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER="$ROOT/dist/server/server.mjs"
# Written by scripts/server-build.ts with the time its build started as its modification time.
STAMP="$ROOT/dist/server/.stamp"
# npm names the node it runs under; run by hand, the one on PATH.
NODE=${npm_node_execpath:-node}

# True when the compiled server is missing or a source changed after its build started: a newer
# file, or a folder whose entries changed (a deleted file). Packages are bundled too, so an install
# (npm's record of what is in node_modules) counts as a change.
stale() {
  [ -f "$STAMP" ] && [ -f "$SERVER" ] || return 0
  newer=$(cd "$ROOT" && find src web scripts/server-build.ts scripts/bundle-options.ts \
    package.json package-lock.json node_modules/.package-lock.json tsconfig.json \
    -newer "$STAMP" -print 2>/dev/null | head -n 1)
  [ -n "$newer" ]
}

if stale; then
  echo "lead-handoff: building the server (dist/server), a one-off after each change of src/ or web/" >&2
  if ! (cd "$ROOT" && "$NODE" --import tsx scripts/build.ts server); then
    echo "lead-handoff: the server build failed (see above)" >&2
    exit 1
  fi
fi

export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export NODE_OPTIONS="--max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec "$NODE" "$SERVER" "$@"
