-- Least privilege: the service's own role (the connection pool's, ${service_role}) gets the DML its statements use
-- (a delete is soft: an UPDATE), never DDL; the owner, who runs the migrations, keeps the rest. A table added later
-- needs its GRANT in its own migration. Reading the history table lets a service whose migrations run apart
-- (migration.enabled=false) check them as its own role.
GRANT SELECT, INSERT, UPDATE ON users TO "${service_role}";
GRANT SELECT ON ${flyway:table} TO "${service_role}";
