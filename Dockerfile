# syntax=docker/dockerfile:1
# OpenHands Enterprise: the server and its UI in one image, run as a non-root user.
#
#   REPLICATED_PUBLISHABLE_KEY=replicated_pk_... \
#     docker build --secret id=replicated_publishable_key,env=REPLICATED_PUBLISHABLE_KEY -t openhands-enterprise:0.1.0 .
#   docker run -p 3000:3000 -v openhands-data:/data openhands-enterprise:0.1.0
#
# The image is a release build: it needs the vendor's publishable key (a build secret; the build
# fails without it, DECISIONS §5) and compiles it in, so that no setting at run time changes it.
# A source checkout has only a placeholder and never sends to the vendor's real endpoint.
#
# Without DATABASE_URL the server keeps its embedded database in /data: mount a volume there, and
# never mount one volume into two containers at once (the second one exits, naming the first).
ARG NODE_IMAGE=node:20-bookworm-slim

# The manifests alone, so that the dependency layers below are rebuilt only when a package.json
# or the lock file changes, not on every source edit. A new workspace needs its line here.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/db/package.json packages/db/
COPY packages/replicated/package.json packages/replicated/
COPY packages/telemetry/package.json packages/telemetry/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/

# Build with every dependency: tsc -b for the packages and the server, vite build for the UI.
# Then gather what runs into /out: each package's manifest, build and migrations, and the UI.
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm npm ci
COPY tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
COPY apps/ apps/
# The release key goes into the source before it is compiled; a missing, empty or placeholder key
# stops the build here with one line saying why.
RUN --mount=type=secret,id=replicated_publishable_key,required=true \
    node packages/telemetry/scripts/write-release-key.mjs /run/secrets/replicated_publishable_key
RUN npm run build \
 && chmod +x apps/server/dist/cli/telemetry/main.js \
 && for dir in packages/* apps/server; do \
      mkdir -p "/out/$dir" && cp -r "$dir/package.json" "$dir/dist" "/out/$dir/" \
      && if [ -d "$dir/migrations" ]; then cp -r "$dir/migrations" "/out/$dir/"; fi; \
    done \
 && mkdir -p /out/apps/web && cp -r apps/web/dist /out/apps/web/

# Production dependencies of the server and the packages it uses. The UI ships as built files,
# so React, Vite and the other build tools stay out of the image.
FROM manifests AS runtime-deps
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspace=@openhands/server

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    OPENHANDS_DATA_DIR=/data
WORKDIR /app
# The code belongs to root and is read-only to the server; only /data is its to write.
COPY package.json ./
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /out/ ./
RUN mkdir /data && chown 1000:1000 /data
VOLUME /data
# The image's "node" user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Kubernetes uses the chart's probes instead; this serves plain Docker. The first start of an
# embedded database runs initdb and migrations, hence the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server stops gracefully on SIGTERM itself (it closes the database and releases the data
# folder's lock), so node runs as PID 1 without an init wrapper.
CMD ["node", "apps/server/dist/main.js"]
