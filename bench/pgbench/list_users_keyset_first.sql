-- GET /api/v1/users?limit=20 (keyset mode, first page): list-users with limit 21 (one more than the page, to know
-- whether there is a next one), offset 0; no count
SELECT id, email, first_name, last_name, phone, role, status, subject, version, created_at, updated_at
FROM users
WHERE deleted_at IS NULL
  AND (CAST(NULL AS text) IS NULL OR status = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR role = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR lower(email) LIKE CAST(NULL AS text)
       OR lower(first_name) LIKE CAST(NULL AS text) OR lower(last_name) LIKE CAST(NULL AS text))
ORDER BY created_at, id
LIMIT 21 OFFSET 0;
