# Stand-in for node:20-bookworm: the slim stand-in plus the toolchain node-gyp may need.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ git \
 && rm -rf /var/lib/apt/lists/*
