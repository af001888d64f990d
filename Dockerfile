# syntax=docker/dockerfile:1
# One image for every role: `docker run ai4k8s <gateway|worker|mcp|all>`.
#
# Runs as a numeric non-root user (so Kubernetes' runAsNonRoot can verify it) with nothing to write outside
# /tmp: a read-only root filesystem works (the Helm chart and docker-compose.yml mount /tmp as scratch).
# No HEALTHCHECK here: the port depends on the role (PORT, WORKER_PORT, MCP_PORT), so the probes live where
# the role is chosen — GET /healthz (alive) and GET /readyz (Redis / dependencies answer) in the Helm chart
# and in docker-compose.yml.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY bin ./bin
# `npm ci` runs `prepare` (tsc → dist/); then the dev dependencies (typescript, eslint, playwright) go.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
# npm and yarn are not needed to run, and are the bulk of the base image's attack surface.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
# Graph images (src/monitoring/render-chart.ts) draw their labels with DejaVu Sans; slim images have no fonts.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Owned by root, read-only to the app user: the code cannot be changed by the process running it.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The "node" user of the base image.
USER 1000:1000
EXPOSE 3000 3001 3002
ENTRYPOINT ["node", "bin/ai4k8s.js"]
CMD ["--help"]
