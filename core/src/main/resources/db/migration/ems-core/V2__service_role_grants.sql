-- Least privilege: the service's own role (the connection pool's, ${service_role}) may read and write the outbox as
-- AuditTrail and the relay do, and nothing else; the owner, who runs the migrations, keeps the DDL. Reading the
-- history table lets a service whose migrations run apart (migration.enabled=false) check them as its own role.
GRANT SELECT, INSERT, UPDATE, DELETE ON audit_outbox TO "${service_role}";
GRANT USAGE ON SEQUENCE audit_outbox_id_seq TO "${service_role}";
GRANT SELECT ON ${flyway:table} TO "${service_role}";
-- No role but the owner creates objects here (PostgreSQL 15 and later already say so; earlier ones let PUBLIC).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
