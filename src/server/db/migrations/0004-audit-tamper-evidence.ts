// The audit chain made tamper-evident against the application's own database login: sealing and
// purging in SECURITY DEFINER functions that compute every hash in SQL, an append-only table of
// signed heads, signed purge records, owner-written settings (retention), and guards that refuse
// chain-field changes outside the sealing function. See docs/decisions/0009-audit-tamper-evidence.md.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- Written only by the schema owner (migrations and start-up on the owner's connection).
create table audit_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

-- Rows sealed before this migration were hashed by the application; from this chain number on, in SQL.
insert into audit_settings (key, value)
  select 'sql_hash_from', to_jsonb(coalesce(max(chain_no), 0) + 1) from audit_log;

-- Signed heads of the chain, newest last; the application may add one, never change or remove one.
create table audit_heads (
  id bigint generated always as identity primary key,
  chain_no bigint not null check (chain_no >= 0),
  hash text not null,
  kind text not null check (kind in ('seal', 'accept-break')),
  reason text,
  signed_at timestamptz not null,
  key_id text not null,
  signature text not null
);

insert into audit_heads (chain_no, hash, kind, signed_at, key_id, signature)
  select (value ->> 'chainNo')::bigint, value ->> 'hash', 'seal', updated_at, 'legacy', value ->> 'signature'
    from app_state where key = 'audit_head';

-- One signed record per purged segment: what was deleted and when.
create table audit_purges (
  segment text primary key references audit_checkpoints (segment),
  row_count bigint not null,
  last_hash text not null,
  purged_at timestamptz not null,
  key_id text not null,
  signature text not null
);

alter table audit_checkpoints add column key_id text not null default 'legacy';
alter table audit_checkpoints alter column key_id drop default;

drop index audit_log_unsealed;
create index audit_log_unsealed on audit_log (seq) where chain_no is null;

-- Chain fields are set once, only by audit_seal; rows are deleted only by audit_purge_segment.
create or replace function audit_log_guard() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    if new.chain_no is not null or new.segment is not null or new.prev_hash is not null or new.hash is not null then
      raise exception 'a new audit row cannot carry chain fields';
    end if;
    return new;
  end if;
  if tg_op = 'DELETE' then
    if current_setting('bindeled.audit_purge', true) = old.segment
       and exists (select 1 from audit_purges p where p.segment = old.segment) then
      return old;
    end if;
    raise exception 'audit_log is append-only';
  end if;
  -- A row with a chain number is sealed; other chain fields on a row without one were set around this
  -- guard, and sealing overwrites them.
  if old.chain_no is not null then
    raise exception 'a sealed audit row cannot change';
  end if;
  if row(new.seq, new.occurred_at, new.organisation_id, new.actor_user_id, new.actor_username,
         new.actor_organisation_id, new.actor_roles, new.action, new.purpose, new.resource_type,
         new.resource_id, new.citizen_id, new.outcome, new.criteria)
     is distinct from
     row(old.seq, old.occurred_at, old.organisation_id, old.actor_user_id, old.actor_username,
         old.actor_organisation_id, old.actor_roles, old.action, old.purpose, old.resource_type,
         old.resource_id, old.citizen_id, old.outcome, old.criteria) then
    raise exception 'audit_log content is append-only; only sealing may set chain fields';
  end if;
  if coalesce(current_setting('bindeled.audit_sealing', true), '') <> 'on' then
    raise exception 'audit chain fields are set only by audit_seal()';
  end if;
  return new;
end
$fn$;

create trigger audit_log_insert_guard before insert on audit_log
  for each row execute function audit_log_guard();

create or replace function audit_checkpoint_guard() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    if new.purged_at is not null then
      raise exception 'a new audit checkpoint cannot be purged';
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

create trigger audit_checkpoints_insert_guard before insert on audit_checkpoints
  for each row execute function audit_checkpoint_guard();

create function audit_kept_guard() returns trigger language plpgsql as $fn$
begin
  raise exception '% is append-only', tg_table_name;
end
$fn$;

create trigger audit_heads_kept before update or delete on audit_heads
  for each row execute function audit_kept_guard();
create trigger audit_purges_kept before update or delete on audit_purges
  for each row execute function audit_kept_guard();

-- One field of the hashed content: its length in bytes, a colon and its text, or '-' for null.
create function audit_hash_field(v text) returns text language sql immutable
  set search_path = pg_catalog, pg_temp as $fn$
  select case when v is null then '-' else octet_length(v)::text || ':' || v end
$fn$;

create function audit_row_hash(r audit_log, p_chain_no bigint, p_segment text, p_prev text) returns text
  language sql stable set search_path = pg_catalog, public, pg_temp as $fn$
  select encode(sha256(convert_to(concat_ws('|', 'v2',
    audit_hash_field(p_chain_no::text), audit_hash_field(p_segment), audit_hash_field(p_prev),
    audit_hash_field(r.seq::text),
    audit_hash_field(to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
    audit_hash_field(r.organisation_id::text), audit_hash_field(r.actor_user_id::text),
    audit_hash_field(r.actor_username), audit_hash_field(r.actor_organisation_id::text),
    audit_hash_field(r.actor_roles::text), audit_hash_field(r.action), audit_hash_field(r.purpose),
    audit_hash_field(r.resource_type), audit_hash_field(r.resource_id), audit_hash_field(r.citizen_id::text),
    audit_hash_field(r.outcome), audit_hash_field(r.criteria::text)), 'UTF8')), 'hex')
$fn$;

-- The head as the table shows it: the highest sealed row or checkpoint, or the genesis.
create function audit_table_head() returns table (chain_no bigint, hash text, segment text)
  language sql stable set search_path = pg_catalog, public, pg_temp as $fn$
  select h.chain_no, h.hash, h.segment from (
    select a.chain_no, a.hash, a.segment from audit_log a where a.chain_no is not null
    union all
    select c.last_chain_no, c.last_hash, null from audit_checkpoints c
    union all
    select 0::bigint, repeat('0', 64), null
  ) h
  order by h.chain_no desc, h.segment nulls last
  limit 1
$fn$;

-- Chains up to p_limit unsealed rows, in sequence order, after the table's head, into the segment
-- (calendar month, UTC) of p_now. Takes no hashes: every hash is computed here.
create function audit_seal(p_now timestamptz, p_limit integer)
  returns table (from_chain_no bigint, from_hash text, from_segment text, sealed integer,
                 to_chain_no bigint, to_hash text, to_segment text)
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $fn$
declare
  v_segment text := to_char(coalesce(p_now, now()) at time zone 'UTC', 'YYYY-MM');
  v_chain bigint;
  v_hash text;
  v_head_segment text;
  v_new text;
  v_count integer := 0;
  r audit_log;
begin
  if p_limit is null or p_limit < 1 or p_limit > 10000 then
    raise exception 'audit_seal: the batch size must be between 1 and 10000';
  end if;
  if p_now > now() + interval '1 day' then
    raise exception 'audit_seal: the sealing time lies in the future';
  end if;
  perform pg_advisory_xact_lock(731004221);
  select h.chain_no, h.hash, h.segment into v_chain, v_hash, v_head_segment from audit_table_head() h;
  if exists (select 1 from audit_checkpoints c where c.segment >= v_segment)
     or (v_head_segment is not null and v_head_segment > v_segment) then
    raise exception 'audit_seal: segment % is before the head of the chain', v_segment;
  end if;
  from_chain_no := v_chain;
  from_hash := v_hash;
  from_segment := v_head_segment;
  perform set_config('bindeled.audit_sealing', 'on', true);
  for r in select * from audit_log a where a.chain_no is null order by a.seq limit p_limit for update loop
    v_chain := v_chain + 1;
    v_new := audit_row_hash(r, v_chain, v_segment, v_hash);
    update audit_log set chain_no = v_chain, segment = v_segment, prev_hash = v_hash, hash = v_new where seq = r.seq;
    v_hash := v_new;
    v_count := v_count + 1;
  end loop;
  perform set_config('bindeled.audit_sealing', 'off', true);
  sealed := v_count;
  to_chain_no := v_chain;
  to_hash := v_hash;
  to_segment := case when v_count > 0 then v_segment else v_head_segment end;
  return next;
end
$fn$;

-- Deletes every row of one closed segment past the retention period (from audit_settings) and
-- leaves the purge record, signed by the application over (segment, row count, last hash, time).
create function audit_purge_segment(p_segment text, p_purged_at timestamptz, p_key_id text, p_signature text)
  returns bigint
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $fn$
declare
  cp audit_checkpoints;
  v_days integer;
  v_deleted bigint;
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
  if ((p_segment || '-01')::timestamp at time zone 'UTC') + interval '1 month' + make_interval(days => v_days) > now() then
    raise exception 'audit_purge_segment: segment % is within the retention period', p_segment;
  end if;
  if p_purged_at is null or abs(extract(epoch from (p_purged_at - now()))) > 300 then
    raise exception 'audit_purge_segment: the purge time must be now';
  end if;
  if p_key_id is null or p_key_id !~ '^[a-z0-9-]{1,40}$' or p_signature is null or p_signature !~ '^[0-9a-f]{64}$' then
    raise exception 'audit_purge_segment: a signature is required';
  end if;
  insert into audit_purges (segment, row_count, last_hash, purged_at, key_id, signature)
    values (p_segment, cp.row_count, cp.last_hash, p_purged_at, p_key_id, p_signature);
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

revoke execute on function audit_seal(timestamptz, integer) from public;
revoke execute on function audit_purge_segment(text, timestamptz, text, text) from public;
`).execute(db);
}
