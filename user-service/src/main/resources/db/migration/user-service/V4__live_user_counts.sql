-- The number of live users per (status, role), kept exact by triggers inside the transaction that changes users: the
-- total of a list without a search (q) sums at most six rows here instead of counting every live user (about 10 ms of
-- database CPU per 100k users, on every numbered page). A search still counts the users it matches.
--
-- Writers of one (status, role) queue on its row from their INSERT or UPDATE of users to their commit; a change that
-- keeps a user's status, role and liveness touches no row here, and rows are taken in key order (no deadlock between
-- a move one way and one the other way). Only these triggers write here (SECURITY DEFINER, the owner's); the service's
-- role reads the table.
CREATE TABLE live_user_counts (
    status text   NOT NULL,
    role   text   NOT NULL,
    live   bigint NOT NULL,
    PRIMARY KEY (status, role)
);
REVOKE ALL ON live_user_counts FROM PUBLIC;
GRANT SELECT ON live_user_counts TO "${service_role}";

-- The users already there. CREATE TRIGGER below locks users against writes until this migration commits, so no change
-- slips between this count and the triggers.
LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO live_user_counts (status, role, live)
SELECT status, role, count(*) FROM users WHERE deleted_at IS NULL GROUP BY status, role;

-- One statement-level call per INSERT, UPDATE or DELETE of users, whatever its number of rows (the transition tables
-- hold them): +1 for each live row after, -1 for each live row before, summed per key. Each operation has its own
-- query, since a query may name only the transition tables its trigger has.
CREATE FUNCTION live_user_counts_apply() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM live_user_counts;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO live_user_counts AS c (status, role, live)
        SELECT status, role, count(*) FROM changed_after WHERE deleted_at IS NULL
        GROUP BY status, role ORDER BY status, role
        ON CONFLICT (status, role) DO UPDATE SET live = c.live + EXCLUDED.live;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO live_user_counts AS c (status, role, live)
        SELECT status, role, -count(*) FROM changed_before WHERE deleted_at IS NULL
        GROUP BY status, role ORDER BY status, role
        ON CONFLICT (status, role) DO UPDATE SET live = c.live + EXCLUDED.live;
    ELSE
        INSERT INTO live_user_counts AS c (status, role, live)
        SELECT status, role, sum(delta)
        FROM (SELECT status, role, 1 AS delta FROM changed_after WHERE deleted_at IS NULL
              UNION ALL
              SELECT status, role, -1 FROM changed_before WHERE deleted_at IS NULL) AS d
        GROUP BY status, role HAVING sum(delta) <> 0 ORDER BY status, role
        ON CONFLICT (status, role) DO UPDATE SET live = c.live + EXCLUDED.live;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION live_user_counts_apply() FROM PUBLIC;

CREATE TRIGGER users_live_counts_insert AFTER INSERT ON users REFERENCING NEW TABLE AS changed_after
    FOR EACH STATEMENT EXECUTE FUNCTION live_user_counts_apply();
CREATE TRIGGER users_live_counts_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed_after
    FOR EACH STATEMENT EXECUTE FUNCTION live_user_counts_apply();
CREATE TRIGGER users_live_counts_delete AFTER DELETE ON users REFERENCING OLD TABLE AS changed_before
    FOR EACH STATEMENT EXECUTE FUNCTION live_user_counts_apply();
CREATE TRIGGER users_live_counts_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION live_user_counts_apply();
