-- Bulk-loads benchmark data into one existing organization.
--
-- Run by scripts/bench.sh with psql variables org_id (the organization created through
-- POST /auth/signup), rep_count, company_count, contact_count and deal_count. Column lists
-- follow migrations/src/m20261204_000001_core.rs. It also creates bench_ids(n, id), which
-- numbers the deals 1..deal_count so that the load generators can pick random deals.

\set ON_ERROR_STOP on

BEGIN;

-- The server generates UUIDv7 ids, whose leading 48 bits are the Unix time in
-- milliseconds. This builds the same layout from a random v4 UUID, so index locality
-- matches data that the server wrote over time. PostgreSQL 15 has no built-in UUIDv7.
CREATE FUNCTION pg_temp.uuid_v7(at timestamp) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
    SELECT encode(
        set_bit(
            set_bit(
                overlay(
                    uuid_send(gen_random_uuid())
                    PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid
$$;

CREATE TEMP TABLE bench_clock ON COMMIT DROP AS
SELECT now() AT TIME ZONE 'UTC' AS loaded_at;

-- Sales reps who own the companies, contacts and deals. They have no password, so they
-- cannot sign in.
CREATE TEMP TABLE bench_reps ON COMMIT DROP AS
SELECT g AS n, pg_temp.uuid_v7(c.loaded_at - interval '800 days') AS id, c.loaded_at
FROM generate_series(1, :rep_count) AS g, bench_clock AS c;

INSERT INTO users (id, email, name, password_hash, time_zone, locale, created_at, updated_at)
SELECT id, format('bench-rep-%s@example.com', n), format('Bench Rep %s', n), NULL, 'UTC', 'en',
       loaded_at, loaded_at
FROM bench_reps;

INSERT INTO memberships (id, org_id, version, created_at, updated_at, deleted_at,
                         user_id, role, team_id, title)
SELECT pg_temp.uuid_v7(loaded_at), :'org_id', 1, loaded_at, loaded_at, NULL,
       id, 'rep', NULL, 'Account Executive'
FROM bench_reps;

-- One pipeline with two open stages, one won and one lost.
CREATE TEMP TABLE bench_pipeline ON COMMIT DROP AS
SELECT pg_temp.uuid_v7(loaded_at - interval '800 days') AS id, loaded_at FROM bench_clock;

INSERT INTO pipelines (id, org_id, version, created_at, updated_at, deleted_at, name, position)
SELECT id, :'org_id', 1, loaded_at, loaded_at, NULL, 'Bench pipeline', 1
FROM bench_pipeline;

CREATE TEMP TABLE bench_stages ON COMMIT DROP AS
SELECT s.position, pg_temp.uuid_v7(p.loaded_at - interval '800 days') AS id,
       s.name, s.probability, s.kind, p.id AS pipeline_id, p.loaded_at
FROM bench_pipeline AS p,
     (VALUES (0, 'Qualification', 20, 'open'),
             (1, 'Proposal', 60, 'open'),
             (2, 'Closed won', 100, 'won'),
             (3, 'Closed lost', 0, 'lost')) AS s (position, name, probability, kind);

INSERT INTO stages (id, org_id, version, created_at, updated_at, deleted_at,
                    pipeline_id, name, position, probability, kind)
SELECT id, :'org_id', 1, loaded_at, loaded_at, NULL,
       pipeline_id, name, position, probability, kind
FROM bench_stages;

-- Companies, created at random instants over the last two years.
CREATE TEMP TABLE bench_companies ON COMMIT DROP AS
SELECT n, pg_temp.uuid_v7(created_at) AS id, created_at,
       created_at + random() * (loaded_at - created_at) AS updated_at
FROM (
    SELECT g AS n, c.loaded_at - random() * interval '730 days' AS created_at, c.loaded_at
    FROM generate_series(1, :company_count) AS g, bench_clock AS c
) AS seeded;

INSERT INTO companies (id, org_id, version, created_at, updated_at, deleted_at,
                       name, industry, country, website, phone, phone_key,
                       annual_revenue_e4, revenue_currency, employees, year_established,
                       parent_id, owner_id)
SELECT c.id, :'org_id', 1, c.created_at, c.updated_at, NULL,
       format('Company %s', c.n),
       (ARRAY['Software', 'Retail', 'Manufacturing', 'Finance', 'Healthcare'])[1 + c.n % 5],
       (ARRAY['US', 'DE', 'FR', 'JP', 'BR', 'IN'])[1 + c.n % 6],
       format('https://company-%s.example.com', c.n),
       format('+1 555 %s', lpad(c.n::text, 7, '0')),
       format('1555%s', lpad(c.n::text, 7, '0')),
       (100000 + floor(random() * 500000000))::bigint * 10000,
       'USD',
       (10 + floor(random() * 5000))::bigint,
       1950 + c.n % 70,
       NULL,
       r.id
FROM bench_companies AS c
JOIN bench_reps AS r ON r.n = 1 + c.n % :rep_count
ORDER BY c.created_at;

-- Contacts, each at one company.
INSERT INTO contacts (id, org_id, version, created_at, updated_at, deleted_at,
                      first_name, last_name, email, email_key, phone, phone_key, title,
                      company_id, owner_id)
SELECT pg_temp.uuid_v7(seeded.created_at), :'org_id', 1, seeded.created_at,
       seeded.created_at + random() * (seeded.loaded_at - seeded.created_at), NULL,
       (ARRAY['Ana', 'Ben', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hiro'])[1 + seeded.n % 8],
       format('Contact%s', seeded.n),
       format('contact-%s@example.com', seeded.n),
       format('contact-%s@example.com', seeded.n),
       format('+1 555 %s', lpad((5000000 + seeded.n)::text, 7, '0')),
       format('1555%s', lpad((5000000 + seeded.n)::text, 7, '0')),
       (ARRAY['Buyer', 'CFO', 'CTO', 'Office Manager'])[1 + seeded.n % 4],
       co.id,
       r.id
FROM (
    SELECT g AS n, c.loaded_at - random() * interval '730 days' AS created_at, c.loaded_at
    FROM generate_series(1, :contact_count) AS g, bench_clock AS c
) AS seeded
JOIN bench_companies AS co ON co.n = 1 + seeded.n % :company_count
JOIN bench_reps AS r ON r.n = 1 + seeded.n % :rep_count
ORDER BY seeded.created_at;

-- Deal n goes to stage n % 4, so each stage contains a quarter of the deals.
CREATE TABLE bench_ids (n int PRIMARY KEY, id uuid NOT NULL);

CREATE TEMP TABLE bench_deals ON COMMIT DROP AS
SELECT n, pg_temp.uuid_v7(created_at) AS id, created_at,
       created_at + random() * (loaded_at - created_at) AS updated_at
FROM (
    SELECT g AS n, c.loaded_at - random() * interval '730 days' AS created_at, c.loaded_at
    FROM generate_series(1, :deal_count) AS g, bench_clock AS c
) AS seeded;

INSERT INTO bench_ids (n, id) SELECT n, id FROM bench_deals;

INSERT INTO deals (id, org_id, version, created_at, updated_at, deleted_at,
                   name, pipeline_id, stage_id, owner_id, team_id, company_id,
                   amount_e4, currency, exchange_rate, close_exchange_rate,
                   expected_close_date, engaged_on, closed_on,
                   source, channel, region, customer_type, win_loss_reason, competitor,
                   next_step, external_ref, stage_changed_at)
SELECT d.id, :'org_id', 1, d.created_at, d.updated_at, NULL,
       format('Deal %s', d.n), s.pipeline_id, s.id, r.id, NULL, co.id,
       (1000 + floor(random() * 250000))::bigint * 10000, 'USD', '1',
       CASE WHEN s.kind = 'open' THEN NULL ELSE '1' END,
       (d.created_at + interval '30 days' + random() * interval '150 days')::date,
       d.created_at::date,
       CASE WHEN s.kind = 'open' THEN NULL ELSE d.updated_at::date END,
       (ARRAY['Web', 'Referral', 'Event', 'Outbound'])[1 + d.n % 4],
       (ARRAY['Direct', 'Partner'])[1 + d.n % 2],
       (ARRAY['North', 'South', 'East', 'West'])[1 + d.n % 4],
       (ARRAY['New', 'Existing'])[1 + d.n % 2],
       CASE s.kind WHEN 'won' THEN 'Price' WHEN 'lost' THEN 'Competitor' END,
       CASE WHEN s.kind = 'lost' THEN 'Competitor Inc.' END,
       CASE WHEN s.kind = 'open' THEN 'Send the proposal' END,
       NULL,
       d.created_at + random() * (d.updated_at - d.created_at)
FROM bench_deals AS d
JOIN bench_stages AS s ON s.position = d.n % 4
JOIN bench_reps AS r ON r.n = 1 + d.n % :rep_count
JOIN bench_companies AS co ON co.n = 1 + d.n % :company_count
ORDER BY d.created_at;

COMMIT;

-- VACUUM sets the visibility map as on a table that has been live for a while, and ANALYZE
-- gives the planner statistics for the new rows.
VACUUM (ANALYZE) users, memberships, pipelines, stages, companies, contacts, deals, bench_ids;
