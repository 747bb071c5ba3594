// Further guards on the audit chain: purge records carry the retention period they were made under,
// checkpoints must match the rows of their segment, the audit tables cannot be truncated (TRUNCATE
// skips row triggers), and the id of the last head signed with the legacy key is recorded, so no
// later head passes under that key. See docs/decisions/0009-audit-tamper-evidence.md.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- The retention period (days) the purge was made under; signed with the record. Null on records made
-- before this migration, which are checked against the configured retention period.
alter table audit_purges add column retention_days integer check (retention_days >= 1);

-- Heads signed with the legacy key exist only from migration 0004; none after this id is accepted.
insert into audit_settings (key, value)
  select 'legacy_heads_through', to_jsonb(coalesce(max(id), 0)) from audit_heads where key_id = 'legacy';

create or replace function audit_checkpoint_guard() returns trigger language plpgsql as $fn$
declare
  v_first bigint;
  v_last bigint;
  v_count bigint;
  v_newest text;
begin
  if tg_op = 'INSERT' then
    if new.purged_at is not null then
      raise exception 'a new audit checkpoint cannot be purged';
    end if;
    select min(a.chain_no), max(a.chain_no), count(*) into v_first, v_last, v_count
      from audit_log a where a.segment = new.segment and a.chain_no is not null;
    if v_count = 0
       or new.first_chain_no is distinct from v_first
       or new.last_chain_no is distinct from v_last
       or new.row_count is distinct from v_count
       or new.prev_hash is distinct from (select a.prev_hash from audit_log a where a.chain_no = v_first)
       or new.last_hash is distinct from (select a.hash from audit_log a where a.chain_no = v_last) then
      raise exception 'an audit checkpoint must match the sealed rows of its segment';
    end if;
    select a.segment into v_newest from audit_log a where a.chain_no is not null order by a.chain_no desc limit 1;
    if new.segment >= v_newest and new.segment >= to_char(now() at time zone 'UTC', 'YYYY-MM') then
      raise exception 'only a segment before the head of the chain can be closed';
    end if;
    return new;
  end if;
  if tg_op = 'DELETE' then
    raise exception 'audit checkpoints are kept';
  end if;
  if row(new.segment, new.first_chain_no, new.last_chain_no, new.row_count, new.prev_hash, new.last_hash,
         new.signature, new.closed_at, new.key_id)
     is distinct from
     row(old.segment, old.first_chain_no, old.last_chain_no, old.row_count, old.prev_hash, old.last_hash,
         old.signature, old.closed_at, old.key_id)
     or old.purged_at is not null
     or not exists (select 1 from audit_purges p where p.segment = new.segment) then
    raise exception 'an audit checkpoint can only be marked purged by audit_purge_segment()';
  end if;
  return new;
end
$fn$;

-- TRUNCATE skips row triggers; on the audit tables it is refused outright.
create function audit_no_truncate() returns trigger language plpgsql as $fn$
begin
  raise exception '% cannot be truncated', tg_table_name;
end
$fn$;

create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_no_truncate();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function audit_no_truncate();
create trigger audit_heads_no_truncate before truncate on audit_heads
  for each statement execute function audit_no_truncate();
create trigger audit_purges_no_truncate before truncate on audit_purges
  for each statement execute function audit_no_truncate();
create trigger audit_settings_no_truncate before truncate on audit_settings
  for each statement execute function audit_no_truncate();

drop function audit_purge_segment(text, timestamptz, text, text);

-- Deletes every row of one closed segment past the retention period and leaves the purge record,
-- signed by the application over (segment, row count, last hash, time, retention days). Both the
-- retention the application passes (its configuration) and the one in audit_settings must have run out.
create function audit_purge_segment(p_segment text, p_purged_at timestamptz, p_retention_days integer, p_key_id text, p_signature text)
  returns bigint
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $fn$
declare
  cp audit_checkpoints;
  v_days integer;
  v_deleted bigint;
  v_end timestamptz;
begin
  if p_segment is null or p_segment !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' then
    raise exception 'audit_purge_segment: not a segment';
  end if;
  select * into cp from audit_checkpoints c where c.segment = p_segment for update;
  if not found then
    raise exception 'audit_purge_segment: segment % is not closed', p_segment;
  end if;
  if cp.purged_at is not null then
    raise exception 'audit_purge_segment: segment % is already purged', p_segment;
  end if;
  select (s.value #>> '{}')::integer into v_days from audit_settings s where s.key = 'retention_days';
  if v_days is null or v_days < 1 then
    raise exception 'audit_purge_segment: the retention period is not set';
  end if;
  if p_retention_days is null or p_retention_days < v_days then
    raise exception 'audit_purge_segment: the retention period is shorter than the stored one';
  end if;
  v_end := ((p_segment || '-01')::timestamp at time zone 'UTC') + interval '1 month';
  if v_end + make_interval(days => p_retention_days) > now() then
    raise exception 'audit_purge_segment: segment % is within the retention period', p_segment;
  end if;
  if p_purged_at is null or abs(extract(epoch from (p_purged_at - now()))) > 300 then
    raise exception 'audit_purge_segment: the purge time must be now';
  end if;
  if p_key_id is null or p_key_id !~ '^[a-z0-9-]{1,40}$' or p_signature is null or p_signature !~ '^[0-9a-f]{64}$' then
    raise exception 'audit_purge_segment: a signature is required';
  end if;
  insert into audit_purges (segment, row_count, last_hash, purged_at, retention_days, key_id, signature)
    values (p_segment, cp.row_count, cp.last_hash, p_purged_at, p_retention_days, p_key_id, p_signature);
  update audit_checkpoints set purged_at = p_purged_at where segment = p_segment;
  perform set_config('bindeled.audit_purge', p_segment, true);
  delete from audit_log where segment = p_segment;
  get diagnostics v_deleted = row_count;
  perform set_config('bindeled.audit_purge', '', true);
  if v_deleted <> cp.row_count then
    raise exception 'audit_purge_segment: segment % holds % rows, its checkpoint %', p_segment, v_deleted, cp.row_count;
  end if;
  return v_deleted;
end
$fn$;

revoke execute on function audit_purge_segment(text, timestamptz, integer, text, text) from public;
`).execute(db);
}
