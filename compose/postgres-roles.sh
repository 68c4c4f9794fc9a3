#!/bin/sh
# The two roles of a service's database, made once by the postgres image when it initialises an empty data directory
# (every file of /docker-entrypoint-initdb.d runs then, as POSTGRES_USER, the superuser, which no service gets):
#   EMS_DB_OWNER / EMS_DB_OWNER_PASSWORD       the owner: runs the migrations, owns the database and its tables
#   EMS_DB_SERVICE_ROLE / EMS_DB_SERVICE_PASSWORD  the service's own role: no privilege but the migrations' GRANTs
# compose.yml mounts this file into each PostgreSQL container; k8s/databases/postgres-roles.yaml holds the same
# script (checks/k8s/run verifies they are equal). A data directory initialised before keeps its roles: see README,
# "Database roles", for an existing database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner="$EMS_DB_OWNER" -v owner_password="$EMS_DB_OWNER_PASSWORD" \
    -v service="$EMS_DB_SERVICE_ROLE" -v service_password="$EMS_DB_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"service" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'service_password';
-- the database's owner may create its tables (the public schema belongs to pg_database_owner)
ALTER DATABASE :"db" OWNER TO :"owner";
SQL
