# Stand-in for adminer:4: Debian's Adminer served by PHP's built-in server on :8080, at `/`.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends adminer php-cli php-pgsql \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home adminer
COPY adminer-index.php /usr/share/adminer/index.php
USER adminer
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "/usr/share/adminer"]
