-- Least privilege (issue 15): the service's own role (the connection pool's, ${service_role}) appends entries and
-- reads them, moves the chain head, reads the checkpoints, and removes entries only through audit_purge_through
-- below. The owner, who runs the migrations, owns the tables and that function. Guard triggers refuse an UPDATE of an
-- entry or a checkpoint always, and a DELETE of entries or an INSERT of a checkpoint outside that function, whoever
-- asks: the owner's own session and a superuser too, unless they disable the triggers (then the seals, checked by
-- /verify, are what is left).
REVOKE ALL ON audit_entries, audit_chain_head, audit_checkpoints FROM PUBLIC;
GRANT SELECT, INSERT ON audit_entries TO "${service_role}";
GRANT SELECT, UPDATE ON audit_chain_head TO "${service_role}";
GRANT SELECT ON audit_checkpoints TO "${service_role}";
-- lets a service whose migrations run apart (migration.enabled=false) check them as its own role
GRANT SELECT ON ${flyway:table} TO "${service_role}";

-- Statement triggers (one check per statement, whatever the rows). TG_ARGV[0]: the one operation allowed, and only
-- inside audit_purge_through. There current_user is the function's
-- owner (SECURITY DEFINER), who owns the table too, while session_user is the role that logged in and called it; the
-- owner's own session (session_user = current_user) is refused like any other, so that every removal writes its
-- checkpoint. Both are set by PostgreSQL itself: no setting a caller could SET decides.
CREATE FUNCTION audit_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = TG_ARGV[0]
            AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID)
            AND session_user <> current_user THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% on % refused: the audit trail is append-only (retention purges through audit_purge_through)',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entries_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard('DELETE');
CREATE TRIGGER audit_checkpoints_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard('INSERT');

-- Retention's only removal: the entries through p_through_seq (a prefix of the chain) go, and the checkpoint that
-- lets /verify go on from there is written, in one call. Its hash is the removed entry's own, read here, never the
-- caller's; its seal (a MAC under the integrity key, which the database never sees) and that key's id are the
-- service's. Under the chain head's lock, so that no append or other purge interleaves; refused unless p_through_seq
-- is past the chain's start (the last checkpoint) and not past its head.
CREATE FUNCTION audit_purge_through(p_through_seq bigint, p_seal text, p_key_id text) RETURNS bigint
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    head_seq  bigint;
    start_seq bigint;
    last_hash text;
    purged    bigint;
BEGIN
    SELECT seq INTO head_seq FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    SELECT coalesce((SELECT through_seq FROM audit_checkpoints ORDER BY id DESC LIMIT 1), 0) INTO start_seq;
    IF p_through_seq IS NULL OR p_through_seq <= start_seq OR p_through_seq > head_seq THEN
        RAISE EXCEPTION 'purge through seq % refused: it must be past the chain''s start (%) and not past its head (%)',
            p_through_seq, start_seq, head_seq
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_seal IS NULL OR p_seal = '' THEN
        RAISE EXCEPTION 'purge through seq % refused: the checkpoint needs its seal', p_through_seq
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT hash INTO last_hash FROM audit_entries WHERE seq = p_through_seq;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'purge through seq % refused: no such entry', p_through_seq
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM audit_entries WHERE seq <= p_through_seq;
    GET DIAGNOSTICS purged = ROW_COUNT;
    INSERT INTO audit_checkpoints (through_seq, last_hash, purged_count, seal, key_id)
        VALUES (p_through_seq, last_hash, purged, p_seal, p_key_id);
    RETURN purged;
END
$$;
REVOKE ALL ON FUNCTION audit_purge_through(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_purge_through(bigint, text, text) TO "${service_role}";
