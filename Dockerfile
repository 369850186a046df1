# kubeperf's container image: what `kubeperf deploy` runs in the cluster (docs/deploy.md).
#   docker build -t kubeperf:0.1.0 .          # the tag `kubeperf deploy` uses by default
#   docker tag kubeperf:0.1.0 registry.example.com/perf/kubeperf:0.1.0 && docker push …
#   kubeperf deploy study.yaml --image registry.example.com/perf/kubeperf:0.1.0 --kubeconfig …
# Multi-stage: TypeScript is compiled in the first stage; the runtime image holds the compiled
# tool, its production dependencies, the built-in studies and examples, and runs as a non-root user.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts here (`prepare` would build before the sources are copied).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/postbuild.mjs scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY schema ./schema
COPY studies ./studies
COPY examples ./examples
# The uid the Job's securityContext runs as (runAsNonRoot); /tmp is an emptyDir in the pod.
USER 10001:10001
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]
