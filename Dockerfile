# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript, then drop dev dependencies.
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: the lock records only the platforms it was made on.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled code, production dependencies, config; runs as the unprivileged node user.
FROM node:20-alpine
ENV NODE_ENV=production HTTP_PORT=8080 REFWATCH_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD wget -qO- http://127.0.0.1:${HTTP_PORT}/healthz >/dev/null || exit 1
ENTRYPOINT ["node", "bin/refwatch.js"]
CMD ["start"]
