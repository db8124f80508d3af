# syntax=docker/dockerfile:1
# tenant-guard: the image runs the JavaScript that tsc emits into dist/, so no process pays for
# Node's type stripper (~18 MB RSS and 150-250 ms of start-up); development runs src/ directly.
# Production dependencies only; the runtime runs as uid 65532 and writes nothing to disk, so it
# works with readOnlyRootFilesystem: true.
#   docker build -t tenant-guard:dev .
#   docker run --rm -p 8443:8443 tenant-guard:dev serve --directory file:examples/cluster.yaml
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --omit=dev drops the node@24 devDependency too: the base image brings Node 24.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The full install (typescript, @types/*) stays in this stage: only dist/ leaves it. --ignore-scripts
# keeps the node@24 devDependency from downloading a second Node.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc with the image's own node: node_modules/.bin/node is a dead shim when install scripts are skipped.
RUN ["node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read-only for the runtime user. package.json says "type": "module" for dist/*.js;
# examples/ holds the directory that serve and audit use when none is given.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY examples ./examples
USER 65532:65532
# Fails the build if a module dist/ needs is missing from the production dependencies, or if an
# emitted import still points at a .ts file (src/ is not in this image).
RUN ["node", "--input-type=module", "-e", "await import('/app/dist/cli/serve.js'); await import('/app/dist/cli/audit.js'); await import('/app/dist/cli/workers.js')"]
EXPOSE 8443
# Two malloc arenas instead of up to 8 per core: the informers' list pages and TLS buffers left
# 10-20 MB of freed but unreturned memory spread over thread arenas (bench/README.md).
ENV MALLOC_ARENA_MAX=2
# Blocks of 16 KiB and more (TLS and socket buffers of list pages) are mapped on their own and go
# back to the OS when freed; in the heap they left 40-80 MB freed but resident after a sync
# (bench/README.md, "Freed malloc memory after the sync").
ENV MALLOC_MMAP_THRESHOLD_=16384
# --expose-gc: after a large informer sync and after a burst of reviews the server runs one
# memory-reducing collection (src/runtime/reduce-memory.ts); without it V8 keeps that garbage and a
# grown young generation resident. --max-semi-space-size=8 caps the young generation at 16 MB (V8
# grows it to 128 MB under load here), with no throughput cost measured. Not --optimize-for-size:
# it held RSS down too, but cut admission throughput by ~40 % with p99 over 12 ms. At 10,000
# namespaces + 200,000 cached objects: ~175 MB at rest, ~183 MB after load (bench/README.md).
ENTRYPOINT ["node", "--expose-gc", "--max-semi-space-size=8", "dist/main.js"]
CMD ["serve"]
