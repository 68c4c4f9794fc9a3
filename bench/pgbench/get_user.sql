-- GET /api/v1/users/{id}: get-user (the exact statement; the table's reference is pgbench -S)
\set i random(1, :users)
SELECT id, email, first_name, last_name, phone, role, status, subject, version, created_at, updated_at
FROM users WHERE id = CAST(md5('u' || :i) AS uuid) AND deleted_at IS NULL;
