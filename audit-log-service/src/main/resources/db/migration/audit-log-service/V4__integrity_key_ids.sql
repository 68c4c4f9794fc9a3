-- Keys rotate: each entry, the head's seal and each checkpoint's seal record the id of the integrity key that made them
-- (IntegrityKeys: derived from the key, so it names nothing else). NULL: made before ids were recorded; /verify then
-- tries every configured key.
ALTER TABLE audit_entries ADD COLUMN key_id text;
ALTER TABLE audit_chain_head ADD COLUMN key_id text;
ALTER TABLE audit_checkpoints ADD COLUMN key_id text;

-- Retention's function (V3) writes the checkpoint's key id beside its seal: the same function with one more argument.
DROP FUNCTION audit_purge_through(bigint, text);
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
