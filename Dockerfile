# syntax=docker/dockerfile:1
#
# lead-handoff in one container, on the embedded defaults (SQLite, local files) with DATA_DIR on a
# volume. `docker compose up` (compose.yaml) runs it with Mailpit as the SMTP inbox.
#
# The image runs what `npm start` runs: the compiled server (dist/server, `npm run build -- server`,
# made here in the first stage, the chat widget prebuilt next to it) with plain node and
# MALLOC_ARENA_MAX=1. The CLI (`npx lead-handoff`) runs the sources through tsx (itself built on
# esbuild), so both are production dependencies and src/ comes along. The image gets
# `npm ci --omit=dev` (no vitest, biome, CDK, emulators).

ARG NODE_VERSION=20

# ---- stage 1: production node_modules, with the native modules built for this image ----
FROM node:${NODE_VERSION}-bookworm-slim AS deps
# better-sqlite3 compiles from source when no prebuilt binary fits (node-gyp needs python3, make,
# g++); sharp brings its own libvips (@img/sharp-linux-<arch>) for glibc, which bookworm is.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
# Fail the build, not the first request, when a native module does not load on this image.
RUN node -e "new (require('better-sqlite3'))(':memory:').close(); require('sharp'); require('esbuild')"
# The compiled server (scripts/server-build.ts): one bundle, native packages left in node_modules.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN node --import tsx scripts/build.ts server

# ---- stage 2: the runtime, without compilers, as the unprivileged `node` user ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# The server listens on every interface on PORT (there is no HOST setting to change).
# MALLOC_ARENA_MAX=1: one malloc arena instead of one per thread keeps the peak while photos are
# downscaled about 40 MB lower (README, production), as `npm start` sets it. NODE_OPTIONS caps
# V8's young generation (4 MB semi-spaces) for every node in the image, as `npm start` gives the
# server (scripts/start.sh).
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8787 \
    MALLOC_ARENA_MAX=1 \
    NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Owned by root and read-only to the server: everything it writes goes to DATA_DIR.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist/server ./dist/server
COPY package.json package-lock.json tsconfig.json business.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY web ./web
# Created before VOLUME and owned by `node`, so a new named volume starts out writable by it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
# Node's own fetch: the slim image has no curl. /healthz answers 200 once the server is ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs (scripts/start.sh, minus its freshness check: the build above is the one
# for these sources), with node as PID 1 so SIGTERM reaches the server's graceful shutdown
# (SHUTDOWN_GRACE_SECONDS, 10 s by default: give `docker stop` longer, as compose.yaml does).
CMD ["node", "dist/server/server.mjs"]
