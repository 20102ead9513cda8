#!/bin/sh
# Runs once, when the postgres image initialises an empty data volume: one database per service, each owned by a
# role of its own, so that no service can read or write another's tables (the services share no database).
# The passwords come from the container's environment, which compose fills from .env (made by ./prepare).
set -eu
for service in incident notification compensation; do
    var=$(echo "${service}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
    eval "password=\${$var:?$var is not set: run deploy/compose/prepare}"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
