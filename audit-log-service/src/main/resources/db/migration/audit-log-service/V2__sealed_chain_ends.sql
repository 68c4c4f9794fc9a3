-- Both ends of the chain carry a MAC under the integrity key (HashChain.seal), so that moving the head back or
-- writing a retention checkpoint needs the key, not only write access to the database. NULL: not sealed (the head
-- before the first append); /verify refuses an unsealed head past seq 0 and an unsealed checkpoint.
ALTER TABLE audit_chain_head ADD COLUMN seal text;
ALTER TABLE audit_checkpoints ADD COLUMN seal text;
