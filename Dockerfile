# supasync container image: `supasync run` as a Kubernetes sidecar, `supasync apply --yes` as a CronJob,
# `supasync emulator` as a sandbox API.
#
#   docker build -t supasync .                                    # on node:26-slim, the Active LTS
#   docker build --build-arg BASE_IMAGE=node:24-slim .            # Node 24 "Krypton", Maintenance LTS
#   docker build --build-arg BASE_IMAGE=supasync-base:local .     # no registry: scripts/docker-base-image.sh
#
# PID 1: node itself, no tini. The reasons: tini is not in the Node slim image, and the local base image
# (built from this machine's node, without a package manager) cannot install it, so one Dockerfile could
# not use it on both. Node works as PID 1 here because (1) `supasync run` handles SIGTERM and SIGINT itself
# (finish the cycle in flight, then exit 0), (2) the one-shot commands get the default "terminate on signal"
# behaviour back when they run as PID 1 (src/daemon/pid1.ts: the kernel would otherwise ignore signals
# that have no handler), and (3) supasync starts no child processes, so there are no zombies to reap.
# test/container/ proves SIGTERM handling as PID 1. `docker run --init` still works if you prefer tini.

# Node 26 ("Lithium") has been the Active LTS since 2026-10-28; Node 24 entered Maintenance LTS on
# 2026-10-20 (schedule: github.com/nodejs/Release). supasync runs on Node >= 20.11.
ARG BASE_IMAGE=node:26-slim

# --- build: all dependencies, compile TypeScript to dist/ --------------------------------------------
FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no lifecycle script needs to run to compile (the `prepare` build runs below).
# --omit=optional: the dev tools' platform binaries (esbuild's, rollup's) are not needed to compile,
# and every MB counts per layer under the vfs storage driver. (The official Supabase CLI, once the
# bulk of these, is no longer a dependency at all: peers/supabase-cli.)
RUN npm ci --ignore-scripts --omit=optional --no-audit --no-fund
# The sources (.dockerignore keeps the context to package files, tsconfig*, src/, scripts/ and the
# schema), then `npm run build` as everywhere else: tsc, then the scripts/ steps.
COPY . .
RUN npm run build

# --- deps: production dependencies only ------------------------------------------------------------
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime
# MALLOC_ARENA_MAX=2: glibc otherwise keeps a malloc arena per thread (V8's and libuv's), each holding
# freed memory; two arenas cut the idle daemon's RSS by ~6 MiB at no measurable cost (docs/benchmarks.md).
# MALLOC_TRIM_THRESHOLD_=131072: glibc otherwise raises the threshold at which it gives freed memory
# back to the system after a sweep frees large blocks, and keeps it; fixed at 128 KiB the idle daemon
# over 1,000 projects holds ~4 MiB less.
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /src/dist dist
# config.schema.json validates configurations; vendor/openapi is the spec the emulator answers from.
COPY package.json config.schema.json ./
COPY vendor/openapi vendor/openapi
# The `supasync` command (a symlink, made with node: the local base image has no coreutils).
RUN ["node", "-e", "require('fs').symlinkSync('/app/dist/cli.js', '/usr/local/bin/supasync')"]
# Numeric, so that Kubernetes' runAsNonRoot can check it; nothing in the image is writable by it.
USER 10001:10001
EXPOSE 9464
ENTRYPOINT ["supasync"]
CMD ["--help"]
