-- Bulk-loads a sales organization for the report benchmark into one existing organization.
--
-- Run by scripts/bench.sh with psql variables org_id (the organization created through
-- POST /auth/signup, whose base currency is USD), deal_count, rep_count and company_count.
-- Column lists follow migrations/src/. The organization's default pipeline "Sales" (four
-- open stages, then won and lost) receives about six deals in seven, and a second pipeline
-- "Renewals" (two open stages, then won and lost) the rest.
--
-- Every deal has the stage transitions of its path: created into the first stage, moved
-- through later open stages, then won or lost when it is closed. Its stage_changed_at is
-- the instant of its last transition. Deals also get one to three activities owned by
-- their owner and one to three line items whose prices add up to the deal amount.

\set ON_ERROR_STOP on

SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';

BEGIN;

-- The same UUIDv7 layout as scripts/bench/load.sql: the leading 48 bits are the Unix time
-- in milliseconds, like the ids that the server generates.
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

-- The value of one unit of `currency` in USD in the month of `at`, as stored text with four
-- decimal places. Rates drift by month, so reports group each currency by many rates.
CREATE FUNCTION pg_temp.usd_rate(currency text, at timestamp) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE currency
        WHEN 'USD' THEN '1'
        ELSE round(
            CASE currency WHEN 'EUR' THEN 1.08 WHEN 'GBP' THEN 1.27 ELSE 0.74 END
                * (1 + 0.04 * sin(extract(year FROM at) * 12 + extract(month FROM at)))::numeric,
            4
        )::text
    END
$$;

CREATE TEMP TABLE report_clock ON COMMIT DROP AS
SELECT date_trunc('second', now() AT TIME ZONE 'UTC') AS loaded_at;

-- Teams, each selling in one region.
CREATE TEMP TABLE report_teams ON COMMIT DROP AS
SELECT t.n, pg_temp.uuid_v7(c.loaded_at - interval '1200 days') AS id, t.name, t.region,
       c.loaded_at
FROM report_clock AS c,
     (VALUES (1, 'NA East', 'North America'),
             (2, 'NA West', 'North America'),
             (3, 'EMEA North', 'EMEA'),
             (4, 'EMEA South', 'EMEA'),
             (5, 'APAC', 'APAC'),
             (6, 'LATAM', 'LATAM')) AS t (n, name, region);

-- Sales reps: rep r is in team 1 + (r - 1) % 6, and reps 1 to 6 manage their teams. They
-- have no password, so they cannot sign in.
CREATE TEMP TABLE report_reps ON COMMIT DROP AS
SELECT g AS n, pg_temp.uuid_v7(c.loaded_at - interval '1200 days') AS id,
       1 + (g - 1) % 6 AS team_n, c.loaded_at
FROM generate_series(1, :rep_count) AS g, report_clock AS c;

INSERT INTO users (id, email, name, password_hash, time_zone, locale, created_at, updated_at)
SELECT id, format('report-rep-%s@example.com', n), format('Report Rep %s', n), NULL,
       'UTC', 'en', loaded_at, loaded_at
FROM report_reps;

INSERT INTO teams (id, org_id, version, created_at, updated_at, deleted_at,
                   name, manager_id, region)
SELECT t.id, :'org_id', 1, t.loaded_at, t.loaded_at, NULL, t.name, r.id, t.region
FROM report_teams AS t
LEFT JOIN report_reps AS r ON r.n = t.n;

INSERT INTO memberships (id, org_id, version, created_at, updated_at, deleted_at,
                         user_id, role, team_id, title)
SELECT pg_temp.uuid_v7(r.loaded_at), :'org_id', 1, r.loaded_at, r.loaded_at, NULL,
       r.id, CASE WHEN r.n <= 6 THEN 'manager' ELSE 'rep' END, t.id,
       CASE WHEN r.n <= 6 THEN 'Sales Manager' ELSE 'Account Executive' END
FROM report_reps AS r
JOIN report_teams AS t ON t.n = r.team_n;

-- The pipelines: the default "Sales" pipeline from sign-up, and "Renewals".
INSERT INTO pipelines (id, org_id, version, created_at, updated_at, deleted_at, name, position)
SELECT pg_temp.uuid_v7(loaded_at - interval '1200 days'), :'org_id', 1, loaded_at, loaded_at,
       NULL, 'Renewals', 2
FROM report_clock;

INSERT INTO stages (id, org_id, version, created_at, updated_at, deleted_at,
                    pipeline_id, name, position, probability, kind)
SELECT pg_temp.uuid_v7(c.loaded_at - interval '1200 days'), :'org_id', 1, c.loaded_at,
       c.loaded_at, NULL, p.id, s.name, s.position, s.probability, s.kind
FROM report_clock AS c
JOIN pipelines AS p ON p.org_id = :'org_id' AND p.name = 'Renewals' AND p.deleted_at IS NULL,
     (VALUES ('Renewal due', 0, 60, 'open'),
             ('Renewal quoted', 1, 80, 'open'),
             ('Renewed', 2, 100, 'won'),
             ('Churned', 3, 0, 'lost')) AS s (name, position, probability, kind);

-- Stages by pipeline number (1 Sales, 2 Renewals) and kind. Open stages are numbered from 0
-- in position order.
CREATE TEMP TABLE report_stages ON COMMIT DROP AS
SELECT CASE WHEN p.name = 'Renewals' THEN 2 ELSE 1 END AS pipeline_n, p.id AS pipeline_id,
       s.id, s.kind,
       CASE WHEN s.kind = 'open'
            THEN row_number() OVER (PARTITION BY p.id, s.kind ORDER BY s.position) - 1
       END AS open_index
FROM stages AS s
JOIN pipelines AS p ON p.id = s.pipeline_id
WHERE s.org_id = :'org_id' AND s.deleted_at IS NULL AND p.deleted_at IS NULL
  AND p.name IN ('Sales', 'Renewals');

DO $$
BEGIN
    IF (SELECT count(*) FROM report_stages WHERE kind = 'open' AND pipeline_n = 1) < 2
       OR (SELECT count(*) FROM report_stages WHERE kind <> 'open') <> 4 THEN
        RAISE EXCEPTION 'the organization has no default "Sales" pipeline with open, won and lost stages';
    END IF;
END
$$;

-- Products in five product lines, priced in USD.
CREATE TEMP TABLE report_products ON COMMIT DROP AS
SELECT g AS n, pg_temp.uuid_v7(c.loaded_at - interval '1200 days') AS id,
       (ARRAY['Core CRM', 'Analytics', 'Integrations', 'Support plans', 'Training'])[1 + g % 5]
           AS product_line,
       c.loaded_at
FROM generate_series(1, 40) AS g, report_clock AS c;

INSERT INTO products (id, org_id, version, created_at, updated_at, deleted_at,
                      name, product_line, sku, list_price_e4, currency, active)
SELECT id, :'org_id', 1, loaded_at, loaded_at, NULL,
       format('%s %s', product_line, n), product_line, format('SKU-%s', lpad(n::text, 4, '0')),
       (500 + n * 250)::bigint * 10000, 'USD', n % 13 <> 0
FROM report_products;

-- Customer companies.
CREATE TEMP TABLE report_companies ON COMMIT DROP AS
SELECT g AS n, pg_temp.uuid_v7(c.loaded_at - random() * interval '1200 days') AS id,
       c.loaded_at
FROM generate_series(1, :company_count) AS g, report_clock AS c;

INSERT INTO companies (id, org_id, version, created_at, updated_at, deleted_at,
                       name, industry, country, website, phone, phone_key,
                       annual_revenue_e4, revenue_currency, employees, year_established,
                       parent_id, owner_id)
SELECT c.id, :'org_id', 1, c.loaded_at, c.loaded_at, NULL,
       format('Customer %s', c.n),
       (ARRAY['Software', 'Retail', 'Manufacturing', 'Finance', 'Healthcare', 'Logistics'])[1 + c.n % 6],
       (ARRAY['US', 'CA', 'GB', 'DE', 'FR', 'JP', 'AU', 'BR'])[1 + c.n % 8],
       format('https://customer-%s.example.com', c.n),
       NULL, NULL,
       (1000000 + c.n * 7919 % 900000000)::bigint * 10000, 'USD',
       (10 + c.n * 31 % 20000)::bigint, 1950 + c.n % 70, NULL, r.id
FROM report_companies AS c
JOIN report_reps AS r ON r.n = 1 + c.n % :rep_count;

-- One row per deal with every random choice, so that the deals, their transitions,
-- activities and line items agree. Deals are created at random over the last three years.
-- Most deals created in the last 90 days are still open, and few older than 180 days are.
CREATE TEMP TABLE report_seed ON COMMIT DROP AS
SELECT g AS n,
       c.loaded_at - random() * interval '1095 days' AS created_at,
       random() AS r_outcome, random() AS r_won, random() AS r_reached, random() AS r_span,
       random() AS r_amount, random() AS r_owner, random() AS r_attribute,
       c.loaded_at
FROM generate_series(1, :deal_count) AS g, report_clock AS c;

CREATE TEMP TABLE report_plan ON COMMIT DROP AS
WITH aged AS (
    SELECT s.*,
           CASE WHEN s.n % 7 = 0 THEN 2 ELSE 1 END AS pipeline_n,
           extract(epoch FROM s.loaded_at - s.created_at) AS age_seconds,
           CASE
               WHEN s.loaded_at - s.created_at < interval '90 days' THEN 0.8
               WHEN s.loaded_at - s.created_at < interval '180 days' THEN 0.35
               ELSE 0.04
           END AS open_chance
    FROM report_seed AS s
),
decided AS (
    SELECT a.*,
           CASE
               WHEN a.r_outcome < a.open_chance THEN 'open'
               WHEN a.r_won < 0.3 THEN 'won'
               ELSE 'lost'
           END AS outcome,
           (SELECT count(*) FROM report_stages AS rs
            WHERE rs.pipeline_n = a.pipeline_n AND rs.kind = 'open') AS open_stages
    FROM aged AS a
),
reached AS (
    SELECT d.*,
           CASE d.outcome
               -- Won deals pass through the last open stage or the one before it.
               WHEN 'won' THEN d.open_stages - 1 - (d.r_reached < 0.3)::int
               -- Lost deals drop out early more often than late.
               WHEN 'lost' THEN floor(d.r_reached ^ 1.5 * d.open_stages)::int
               ELSE floor(d.r_reached ^ 1.3 * d.open_stages)::int
           END AS reached
    FROM decided AS d
)
SELECT r.n, pg_temp.uuid_v7(r.created_at) AS id, r.created_at, r.loaded_at, r.pipeline_n,
       r.outcome, r.reached,
       -- Transitions: one into each open stage up to `reached`, and one to won or lost.
       r.reached + 1 + (r.outcome <> 'open')::int AS transitions,
       CASE
           WHEN r.outcome <> 'open' THEN
               r.created_at + least(r.age_seconds * 0.98,
                                    (10 + 220 * r.r_span ^ 2) * 86400) * interval '1 second'
           WHEN r.reached = 0 THEN r.created_at
           ELSE r.created_at + (0.2 + 0.75 * r.r_span) * (r.loaded_at - r.created_at)
       END AS last_at,
       1 + floor(r.r_owner * :rep_count)::int AS rep_n,
       1 + r.n % :company_count AS company_n,
       CASE
           WHEN r.n % 20 < 2 THEN 'EUR'
           WHEN r.n % 20 = 2 THEN 'GBP'
           WHEN r.n % 20 = 3 THEN 'CAD'
           ELSE 'USD'
       END AS currency,
       -- Amounts from 500 to about 122,000 units, most of them small.
       round(500 * exp(r.r_amount * 5.5))::bigint * 10000 AS amount_e4,
       1 + floor(r.r_attribute * 1000)::int AS pick
FROM reached AS r;

INSERT INTO deals (id, org_id, version, created_at, updated_at, deleted_at,
                   name, pipeline_id, stage_id, owner_id, team_id, company_id,
                   amount_e4, currency, exchange_rate, close_exchange_rate,
                   expected_close_date, engaged_on, closed_on,
                   source, channel, region, customer_type, win_loss_reason, competitor,
                   next_step, external_ref, stage_changed_at)
SELECT p.id, :'org_id', 1 + p.transitions, p.created_at,
       p.last_at + (p.loaded_at - p.last_at) * (p.pick % 50) / 100.0,
       -- One deal in 200 is soft-deleted.
       CASE WHEN p.pick % 200 = 7 THEN p.loaded_at END,
       format('Deal %s', p.n), s.pipeline_id, s.id, r.id, t.id, co.id,
       p.amount_e4, p.currency, pg_temp.usd_rate(p.currency, p.created_at),
       CASE WHEN p.outcome <> 'open' THEN pg_temp.usd_rate(p.currency, p.last_at) END,
       -- Open deals expect to close 2 to 120 days after their last move, some of them
       -- already overdue. Closed deals keep the date that was expected before the close.
       CASE
           WHEN p.outcome = 'open' THEN (p.last_at + (2 + p.pick % 119) * interval '1 day')::date
           ELSE (p.last_at + (p.pick % 91 - 45) * interval '1 day')::date
       END,
       p.created_at::date,
       CASE WHEN p.outcome <> 'open' THEN p.last_at::date END,
       (ARRAY['Inbound web', 'Referral', 'Outbound', 'Event', 'Partner'])[1 + p.pick % 5],
       (ARRAY['Email', 'Paid search', 'Social', 'Events', 'Partner', 'Direct'])[1 + (p.pick / 5) % 6],
       -- A deal is in its team's region, except one in twenty.
       CASE WHEN p.pick % 20 = 3
            THEN (ARRAY['North America', 'EMEA', 'APAC', 'LATAM'])[1 + p.n % 4]
            ELSE t.region END,
       CASE WHEN p.pipeline_n = 2 THEN 'Renewal'
            ELSE (ARRAY['New business', 'New business', 'Expansion'])[1 + (p.pick / 30) % 3] END,
       CASE p.outcome
           WHEN 'won' THEN (ARRAY['Product fit', 'Price', 'Relationship', 'Timing'])[1 + (p.pick / 7) % 4]
           WHEN 'lost' THEN (ARRAY['Price', 'Competitor', 'No decision', 'Budget', 'Timing'])[1 + (p.pick / 7) % 5]
       END,
       CASE WHEN p.outcome <> 'open' AND (p.pick / 11) % 10 < 6
            THEN (ARRAY['Northwind CRM', 'Contoso Sales', 'Globex Suite', 'Initech Pipeline', 'Umbrella One'])[1 + (p.pick / 3) % 5]
       END,
       CASE WHEN p.outcome = 'open' THEN 'Follow up on the proposal' END,
       NULL,
       CASE WHEN p.transitions = 1 THEN p.created_at ELSE p.last_at END
FROM report_plan AS p
JOIN report_stages AS s
  ON s.pipeline_n = p.pipeline_n
 AND CASE p.outcome WHEN 'open' THEN s.kind = 'open' AND s.open_index = p.reached
                    ELSE s.kind = p.outcome END
JOIN report_reps AS r ON r.n = p.rep_n
JOIN report_teams AS t ON t.n = r.team_n
JOIN report_companies AS co ON co.n = p.company_n
ORDER BY p.created_at;

-- Transition i of a deal with k transitions happens at fraction i / (k - 1) of the time
-- from creation to its last move, inner ones moved by up to 0.4 of a step, so they stay
-- in order.
INSERT INTO stage_transitions (id, org_id, deal_id, from_stage_id, to_stage_id, at, by_user_id)
SELECT pg_temp.uuid_v7(moved.at), :'org_id', moved.deal_id, moved.from_stage_id,
       moved.to_stage_id, moved.at, moved.by_user_id
FROM (
    SELECT p.id AS deal_id,
           CASE WHEN i = 0 THEN NULL ELSE from_stage.id END AS from_stage_id,
           to_stage.id AS to_stage_id,
           CASE
               WHEN i = 0 THEN p.created_at
               WHEN i = p.transitions - 1 THEN p.last_at
               ELSE p.created_at + (p.last_at - p.created_at)
                    * ((i + 0.8 * (random() - 0.5)) / (p.transitions - 1))
           END AS at,
           r.id AS by_user_id
    FROM report_plan AS p
    CROSS JOIN LATERAL generate_series(0, p.transitions - 1) AS i
    JOIN report_reps AS r ON r.n = p.rep_n
    LEFT JOIN report_stages AS from_stage
      ON from_stage.pipeline_n = p.pipeline_n AND from_stage.open_index = i - 1
    JOIN report_stages AS to_stage
      ON to_stage.pipeline_n = p.pipeline_n
     AND CASE WHEN i <= p.reached THEN to_stage.open_index = i
              ELSE to_stage.kind = p.outcome END
) AS moved
ORDER BY moved.at;

-- Activities between creation and the last move, or until now for open deals.
INSERT INTO activities (id, org_id, version, created_at, updated_at, deleted_at,
                        kind, subject, body, occurred_at, duration_minutes,
                        deal_id, contact_id, company_id, owner_id)
SELECT pg_temp.uuid_v7(done.occurred_at), :'org_id', 1, done.occurred_at, done.occurred_at,
       NULL, done.kind, initcap(done.kind) || ' about ' || done.deal_name, NULL,
       done.occurred_at,
       CASE WHEN done.kind IN ('call', 'meeting', 'visit') THEN 15 + (done.n * 7 + j) % 6 * 15 END,
       done.deal_id, NULL, done.company_id, done.owner_id
FROM (
    SELECT p.n, j, p.id AS deal_id, format('Deal %s', p.n) AS deal_name, co.id AS company_id,
           r.id AS owner_id,
           (ARRAY['call', 'email', 'meeting', 'note', 'visit'])[1 + (p.n + j) % 5] AS kind,
           p.created_at + random() * (CASE WHEN p.outcome = 'open' THEN p.loaded_at
                                           ELSE p.last_at END - p.created_at) AS occurred_at
    FROM report_plan AS p
    CROSS JOIN LATERAL generate_series(1, 1 + (p.n / 3) % 3) AS j
    JOIN report_reps AS r ON r.n = p.rep_n
    JOIN report_companies AS co ON co.n = p.company_n
) AS done
ORDER BY done.occurred_at;

-- Line items whose prices add up to the deal amount, because the last takes the remainder.
INSERT INTO line_items (id, org_id, deal_id, product_id, name, quantity, unit_price_e4, position)
SELECT pg_temp.uuid_v7(p.created_at), :'org_id', p.id, pr.id, format('%s %s', pr.product_line, pr.n),
       '1',
       CASE WHEN j = items THEN p.amount_e4 - (items - 1) * (p.amount_e4 / items / 10000 * 10000)
            ELSE p.amount_e4 / items / 10000 * 10000 END,
       j - 1
FROM report_plan AS p
CROSS JOIN LATERAL (SELECT 1 + p.n % 3 AS items) AS counted
CROSS JOIN LATERAL generate_series(1, counted.items) AS j
JOIN report_products AS pr
  ON pr.n = 1 + (CASE WHEN p.pipeline_n = 2 THEN 3 + 5 * ((p.n + j) % 8) ELSE (p.pick + 17 * j) % 40 END)
ORDER BY p.created_at;

-- Campaigns: one per month and channel over the last three years, costed in USD. Direct
-- deals come without a campaign.
INSERT INTO campaigns (id, org_id, version, created_at, updated_at, deleted_at,
                       name, channel, period_start, period_end, cost_e4, currency)
SELECT pg_temp.uuid_v7(month_start), :'org_id', 1, month_start, month_start, NULL,
       format('%s %s', channel, to_char(month_start, 'YYYY-MM')), channel,
       month_start::date, (month_start + interval '1 month' - interval '1 day')::date,
       (20000 + (extract(month FROM month_start)::int * 1700 + length(channel) * 900) % 30000)::bigint * 10000,
       'USD'
FROM report_clock AS c,
     generate_series(date_trunc('month', c.loaded_at) - interval '36 months',
                     date_trunc('month', c.loaded_at), interval '1 month') AS month_start,
     unnest(ARRAY['Email', 'Paid search', 'Social', 'Events', 'Partner']) AS channel;

-- Quotas: one per rep and month, and one per team and quarter, over the last two years and
-- the next quarter.
INSERT INTO quotas (id, org_id, version, created_at, updated_at, deleted_at,
                    user_id, team_id, period_kind, period_start, target_e4, currency)
SELECT pg_temp.uuid_v7(month_start - interval '10 days'), :'org_id', 1,
       month_start - interval '10 days', month_start - interval '10 days', NULL,
       r.id, NULL, 'month', month_start::date,
       (150000 + r.n % 7 * 10000)::bigint * 10000, 'USD'
FROM report_clock AS c,
     generate_series(date_trunc('month', c.loaded_at) - interval '24 months',
                     date_trunc('month', c.loaded_at) + interval '2 months',
                     interval '1 month') AS month_start,
     report_reps AS r;

INSERT INTO quotas (id, org_id, version, created_at, updated_at, deleted_at,
                    user_id, team_id, period_kind, period_start, target_e4, currency)
SELECT pg_temp.uuid_v7(quarter_start - interval '10 days'), :'org_id', 1,
       quarter_start - interval '10 days', quarter_start - interval '10 days', NULL,
       NULL, t.id, 'quarter', quarter_start::date,
       (4500000 + t.n * 250000)::bigint * 10000, 'USD'
FROM report_clock AS c,
     generate_series(date_trunc('quarter', c.loaded_at) - interval '24 months',
                     date_trunc('quarter', c.loaded_at), interval '3 months') AS quarter_start,
     report_teams AS t;

COMMIT;

VACUUM (ANALYZE) users, memberships, teams, pipelines, stages, products, companies, deals,
    stage_transitions, activities, line_items, campaigns, quotas;
