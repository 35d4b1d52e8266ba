# Stand-in for node:20-bookworm-slim (no registry here): a Debian bookworm root plus this
# machine's Node 20 and npm at the official image's paths, and its `node` user (uid 1000).
# It also trusts what this machine trusts (ca.crt, the host's CA bundle): the npm registry may
# only be reachable through a TLS-inspecting proxy here.
ARG BASE
FROM ${BASE}
COPY ca.crt /usr/local/share/al-standin/ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/al-standin/ca.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
