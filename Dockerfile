# One image for every service of docker-compose.yml and deploy/kubernetes/: the gateway, the five
# subgraphs and the migration job. Each service picks its process with `command:` (compose) or
# `args:` (Kubernetes), always `node …` itself, never through pnpm, so that the signals reach it.
# The services run compiled JavaScript (`pnpm build`: each package's src/ into its dist/, file by
# file) with node's "compiled" export condition, so no TypeScript loader runs beside them: about
# 35 MB less per process than running the sources with tsx (README, "Memory"). The migration job
# still runs its script with tsx.
FROM node:20-bookworm-slim

# tini is PID 1: it forwards SIGTERM and SIGINT to node, its child, and reaps zombies. As PID 1, node
# would get no default action for a signal it does not handle, and a pnpm wrapper would stand
# between the stop signal and node, whose drain on SIGTERM must run.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*

# pnpm 10 from npm (pnpm 11 needs Node 22; corepack is not used). Only the install below uses it.
RUN npm install -g pnpm@10 && npm cache clean --force

WORKDIR /app
RUN chown node:node /app
# The image's unprivileged user; everything below, install included, runs as it.
USER node

# Manifests first, so the dependency layer is rebuilt only when they change. --frozen-lockfile needs
# every workspace package's package.json; the postinstall (`prisma generate`, through
# scripts/prisma-generate.ts) needs its script and prisma/schema.prisma.
COPY --chown=node:node package.json pnpm-lock.yaml pnpm-workspace.yaml ./
# pnpm applies these to the dependencies it installs (README, "Dependencies patched").
COPY --chown=node:node patches/ patches/
COPY --chown=node:node gateway/package.json gateway/
COPY --chown=node:node packages/auth/package.json packages/auth/
COPY --chown=node:node packages/currency/package.json packages/currency/
COPY --chown=node:node packages/database/package.json packages/database/
COPY --chown=node:node packages/graphql-kit/package.json packages/graphql-kit/
COPY --chown=node:node packages/events/package.json packages/events/
COPY --chown=node:node packages/inventory/package.json packages/inventory/
COPY --chown=node:node packages/loyalty/package.json packages/loyalty/
COPY --chown=node:node packages/mail/package.json packages/mail/
COPY --chown=node:node packages/metafields/package.json packages/metafields/
COPY --chown=node:node packages/observability/package.json packages/observability/
COPY --chown=node:node packages/purchases/package.json packages/purchases/
COPY --chown=node:node packages/testkit/package.json packages/testkit/
COPY --chown=node:node packages/translations/package.json packages/translations/
COPY --chown=node:node packages/workers/package.json packages/workers/
COPY --chown=node:node subgraphs/analytics/package.json subgraphs/analytics/
COPY --chown=node:node subgraphs/catalog/package.json subgraphs/catalog/
COPY --chown=node:node subgraphs/customer/package.json subgraphs/customer/
COPY --chown=node:node subgraphs/order/package.json subgraphs/order/
COPY --chown=node:node subgraphs/store/package.json subgraphs/store/
COPY --chown=node:node scripts/prisma-generate.ts scripts/
COPY --chown=node:node prisma/schema.prisma prisma/

# Dev dependencies are installed as well: tsx runs the services and the migration job, and the
# workspace packages are linked through the root's devDependencies. That is why NODE_ENV is only
# set afterwards (pnpm skips devDependencies when NODE_ENV=production).
RUN pnpm install --frozen-lockfile

COPY --chown=node:node . .
RUN pnpm build

ENV NODE_ENV=production
# A young generation of 2 × 4 MB rather than V8's 2 × 16 MB: 20-30 MB less per process, measured by
# `pnpm bench:memory` with no CPU cost we could see (README, "Memory"). Unset it to compare.
ENV NODE_OPTIONS=--max-semi-space-size=4
# At most two malloc arenas rather than glibc's eight per core: the memory V8's helper threads
# allocate natively (WebAssembly compilation, concurrent marking) is reused rather than kept in
# arenas of their own, 25-130 MB less for the six processes with no CPU cost we could see (README,
# "Memory").
ENV MALLOC_ARENA_MAX=2
# Old generation grown by at most 75 % past what the last full collection kept, where V8 would
# let it grow up to 4×: under the listing load about 90 MB less for the six processes, at about
# 8 % more CPU per listing (README, "Memory"). Unset it to trade back.
ENV NODE_HEAP_GROWING_PERCENT=75
EXPOSE 4000 4001 4002 4003 4004 4005

# Kubernetes' `command:` would replace this entry point: the manifests set `args:` only.
ENTRYPOINT ["/usr/bin/tini", "--"]
# The gateway by default; docker-compose.yml and the manifests set the process of every service.
# Each preloads tracing-register, which starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set.
CMD ["node", "--conditions=compiled", "--import", "./packages/observability/dist/tracing-register.js", "gateway/dist/index.js"]
