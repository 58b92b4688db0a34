#include "common/store/migrations.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "common/store/deferred_indexes.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/ticket_labels.hpp"

namespace jirasync {

namespace {

// JQL's priority order (compile_jql() writes the same expression, character
// for character, so the indexes of migration 12 serve it): highest 5 ... lowest
// 1, unknown names 0, no priority 6.
const std::string kPriorityOrderSqlite =
    "(CASE WHEN priority IS NULL OR priority = '' THEN 6 ELSE (CASE lower(priority) "
    "WHEN 'highest' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 "
    "WHEN 'lowest' THEN 1 ELSE 0 END) END)";
const std::string kPriorityOrderPostgres =
    "(CASE WHEN priority IS NULL OR priority = '' THEN 6 ELSE (CASE "
    "translate(priority, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') "
    "WHEN 'highest' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 "
    "WHEN 'lowest' THEN 1 ELSE 0 END) END)";
// An issue id as a number (ids are digits; anything else sorts as 0).
const std::string kNumericIdPostgres =
    "(CASE WHEN id ~ '^[0-9]{1,18}$' THEN CAST(id AS BIGINT) ELSE 0 END)";

const std::vector<Migration> kMigrations = {
    {1,
     "initial schema",
     {
         R"(CREATE TABLE tickets (
  id ${TEXT} PRIMARY KEY,
  key ${TEXT} NOT NULL,
  project ${TEXT} NOT NULL,
  project_id ${TEXT} NOT NULL DEFAULT '',
  issue_type ${TEXT} NOT NULL DEFAULT '',
  subtask ${BOOL} NOT NULL DEFAULT 0,
  status ${TEXT} NOT NULL DEFAULT '',
  status_category ${TEXT} NOT NULL DEFAULT '',
  priority ${TEXT},
  assignee_id ${TEXT},
  assignee_name ${TEXT},
  reporter_id ${TEXT},
  reporter_name ${TEXT},
  labels ${TEXT} NOT NULL DEFAULT '[]',
  components ${TEXT} NOT NULL DEFAULT '[]',
  fix_versions ${TEXT} NOT NULL DEFAULT '[]',
  parent_id ${TEXT},
  parent_key ${TEXT},
  resolution ${TEXT},
  resolution_ms ${BIGINT},
  created_ms ${BIGINT} NOT NULL,
  updated_ms ${BIGINT} NOT NULL,
  summary ${TEXT} NOT NULL DEFAULT '',
  description_text ${TEXT} NOT NULL DEFAULT '',
  description_adf ${TEXT} NOT NULL DEFAULT '',
  custom_fields ${TEXT} NOT NULL DEFAULT '{}',
  content_hash ${TEXT} NOT NULL,
  significant_hash ${TEXT} NOT NULL DEFAULT '',
  first_seen_ms ${BIGINT} NOT NULL,
  last_synced_ms ${BIGINT} NOT NULL,
  sync_status ${TEXT} NOT NULL DEFAULT 'synced' CHECK (sync_status IN ('synced', 'conflict')),
  deleted ${BOOL} NOT NULL DEFAULT 0,
  deleted_ms ${BIGINT}
))",
         "CREATE INDEX tickets_key ON tickets (key)",
         "CREATE INDEX tickets_project_updated ON tickets (project, updated_ms)",
         R"(CREATE TABLE ticket_keys (
  ticket_id ${TEXT} NOT NULL,
  key ${TEXT} NOT NULL,
  from_ms ${BIGINT} NOT NULL,
  PRIMARY KEY (ticket_id, key)
))",
         "CREATE INDEX ticket_keys_key ON ticket_keys (key)",
         R"(CREATE TABLE ticket_changes (
  id ${SERIAL_PK},
  ticket_id ${TEXT} NOT NULL,
  run_id ${TEXT} NOT NULL DEFAULT '',
  change ${TEXT} NOT NULL,
  detail ${TEXT} NOT NULL DEFAULT '{}',
  at_ms ${BIGINT} NOT NULL
))",
         "CREATE INDEX ticket_changes_ticket ON ticket_changes (ticket_id, id)",
         R"(CREATE TABLE local_edits (
  ticket_id ${TEXT} NOT NULL,
  field ${TEXT} NOT NULL,
  value ${TEXT} NOT NULL,
  edited_ms ${BIGINT} NOT NULL,
  PRIMARY KEY (ticket_id, field)
))",
         R"(CREATE TABLE notes (
  id ${SERIAL_PK},
  ticket_id ${TEXT} NOT NULL,
  text ${TEXT} NOT NULL,
  at_ms ${BIGINT} NOT NULL
))",
         "CREATE INDEX notes_ticket ON notes (ticket_id, id)",
         R"(CREATE TABLE links (
  entity_type ${TEXT} NOT NULL,
  entity_id ${TEXT} NOT NULL,
  ticket_id ${TEXT} NOT NULL,
  last_seen_ms ${BIGINT} NOT NULL DEFAULT 0,
  PRIMARY KEY (entity_type, entity_id, ticket_id)
))",
         "CREATE INDEX links_ticket ON links (ticket_id)",
         R"(CREATE TABLE conflicts (
  id ${SERIAL_PK},
  ticket_id ${TEXT} NOT NULL,
  field ${TEXT} NOT NULL,
  local_value ${TEXT} NOT NULL DEFAULT '',
  jira_value ${TEXT} NOT NULL DEFAULT '',
  strategy ${TEXT} NOT NULL,
  outcome ${TEXT} NOT NULL,
  open ${BOOL} NOT NULL DEFAULT 0,
  at_ms ${BIGINT} NOT NULL,
  resolved_ms ${BIGINT}
))",
         "CREATE INDEX conflicts_ticket_open ON conflicts (ticket_id, open)",
         R"(CREATE TABLE sync_runs (
  id ${TEXT} PRIMARY KEY,
  project ${TEXT} NOT NULL,
  kind ${TEXT} NOT NULL,
  keys ${TEXT} NOT NULL DEFAULT '[]',
  run_trigger ${TEXT} NOT NULL DEFAULT '',
  status ${TEXT} NOT NULL
    CHECK (status IN ('queued', 'running', 'retry_wait', 'success', 'failed')),
  attempt ${BIGINT} NOT NULL DEFAULT 1,
  since_ms ${BIGINT} NOT NULL DEFAULT 0,
  created_ms ${BIGINT} NOT NULL,
  started_ms ${BIGINT},
  finished_ms ${BIGINT},
  next_attempt_ms ${BIGINT},
  heartbeat_ms ${BIGINT} NOT NULL DEFAULT 0,
  expected_total ${BIGINT} NOT NULL DEFAULT -1,
  fetch_complete ${BOOL} NOT NULL DEFAULT 0,
  emitted ${BIGINT} NOT NULL DEFAULT 0,
  applied ${BIGINT} NOT NULL DEFAULT 0,
  max_updated_ms ${BIGINT} NOT NULL DEFAULT 0,
  error ${TEXT} NOT NULL DEFAULT '',
  stat_api_calls ${BIGINT} NOT NULL DEFAULT 0,
  stat_pages ${BIGINT} NOT NULL DEFAULT 0,
  stat_fetched ${BIGINT} NOT NULL DEFAULT 0,
  stat_created ${BIGINT} NOT NULL DEFAULT 0,
  stat_updated ${BIGINT} NOT NULL DEFAULT 0,
  stat_unchanged ${BIGINT} NOT NULL DEFAULT 0,
  stat_deleted ${BIGINT} NOT NULL DEFAULT 0,
  stat_moved ${BIGINT} NOT NULL DEFAULT 0,
  stat_conflicts ${BIGINT} NOT NULL DEFAULT 0,
  stat_dead_lettered ${BIGINT} NOT NULL DEFAULT 0
))",
         // The lease: at most one unfinished run per project, enforced by the
         // database so it holds across scheduler processes.
         "CREATE UNIQUE INDEX sync_runs_one_active ON sync_runs (project) "
         "WHERE status IN ('queued', 'running', 'retry_wait')",
         "CREATE INDEX sync_runs_project_created ON sync_runs (project, created_ms)",
         "CREATE INDEX sync_runs_status ON sync_runs (status)",
         R"(CREATE TABLE project_cursors (
  project ${TEXT} PRIMARY KEY,
  cursor_ms ${BIGINT} NOT NULL
))",
         R"(CREATE TABLE consumer_offsets (
  consumer_group ${TEXT} NOT NULL,
  topic ${TEXT} NOT NULL,
  partition_id ${BIGINT} NOT NULL,
  next_offset ${BIGINT} NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition_id)
))",
         R"(CREATE TABLE run_items (
  run_id ${TEXT} NOT NULL,
  item_key ${TEXT} NOT NULL,
  PRIMARY KEY (run_id, item_key)
))",
         R"(CREATE TABLE sweep_ids (
  run_id ${TEXT} NOT NULL,
  issue_id ${TEXT} NOT NULL,
  PRIMARY KEY (run_id, issue_id)
))",
         R"(CREATE TABLE rate_buckets (
  name ${TEXT} PRIMARY KEY,
  tokens ${REAL} NOT NULL,
  updated_ms ${BIGINT} NOT NULL,
  blocked_until_ms ${BIGINT} NOT NULL DEFAULT 0
))",
     }},
    // Large text values are TOAST-compressed on the write path; lz4 costs the
    // server a fraction of pglz's CPU for a similar ratio on JSON and prose.
    // Only new values use it; stored ones stay readable as they are.
    {2,
     "lz4 compression for the large text columns",
     {
         "ALTER TABLE tickets ALTER COLUMN description_text SET COMPRESSION lz4, "
         "ALTER COLUMN description_adf SET COMPRESSION lz4, "
         "ALTER COLUMN custom_fields SET COMPRESSION lz4",
         "ALTER TABLE ticket_changes ALTER COLUMN detail SET COMPRESSION lz4",
     },
     Backend::kPostgres},
    // Local tags a tester puts on a ticket; like notes and links, no sync
    // reads or writes them.
    {3,
     "local tags",
     {
         R"(CREATE TABLE tags (
  ticket_id ${TEXT} NOT NULL,
  tag ${TEXT} NOT NULL,
  at_ms ${BIGINT} NOT NULL,
  PRIMARY KEY (ticket_id, tag)
))",
     }},
    // Webhook deliveries wait here for the next refresh run of their project
    // (Jira does not retry a delivery that got a 2xx); delivery ids make a
    // replayed delivery a no-op.
    {4,
     "webhook inbox",
     {
         R"(CREATE TABLE webhook_refreshes (
  project ${TEXT} NOT NULL,
  issue_key ${TEXT} NOT NULL,
  version ${BIGINT} NOT NULL,
  queued_ms ${BIGINT} NOT NULL,
  PRIMARY KEY (project, issue_key)
))",
         R"(CREATE TABLE webhook_deliveries (
  id ${TEXT} PRIMARY KEY,
  accepted_ms ${BIGINT} NOT NULL
))",
         "CREATE INDEX webhook_deliveries_accepted ON webhook_deliveries (accepted_ms)",
     }},
    // More of each issue (docs/architecture.md, "Data model"). Scalar fields
    // are ticket columns; lists are child tables keyed by the ticket id,
    // replaced whole with every new version of the issue. The column names
    // are what the JQL compiler reads. Existing rows get the defaults until
    // their issue is fetched again (`sync --refetch` fetches every one).
    {5,
     "due date, creator, versions, environment, time tracking, comments, links, subtasks, "
     "attachments",
     {
         "ALTER TABLE tickets ADD COLUMN due_date ${TEXT}",
         "ALTER TABLE tickets ADD COLUMN creator_id ${TEXT}",
         "ALTER TABLE tickets ADD COLUMN creator_name ${TEXT}",
         "ALTER TABLE tickets ADD COLUMN affected_versions ${TEXT} NOT NULL DEFAULT '[]'",
         "ALTER TABLE tickets ADD COLUMN environment_text ${TEXT} NOT NULL DEFAULT ''",
         "ALTER TABLE tickets ADD COLUMN environment_adf ${TEXT} NOT NULL DEFAULT ''",
         "ALTER TABLE tickets ADD COLUMN time_original_estimate_s ${BIGINT}",
         "ALTER TABLE tickets ADD COLUMN time_remaining_estimate_s ${BIGINT}",
         "ALTER TABLE tickets ADD COLUMN time_spent_s ${BIGINT}",
         R"(CREATE TABLE ticket_comments (
  ticket_id ${TEXT} NOT NULL,
  comment_id ${TEXT} NOT NULL,
  author_id ${TEXT},
  author_name ${TEXT},
  body_text ${TEXT} NOT NULL DEFAULT '',
  body_adf ${TEXT} NOT NULL DEFAULT '',
  created_ms ${BIGINT} NOT NULL,
  updated_ms ${BIGINT} NOT NULL,
  PRIMARY KEY (ticket_id, comment_id)
))",
         "CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id)",
         R"(CREATE TABLE ticket_links (
  ticket_id ${TEXT} NOT NULL,
  link_id ${TEXT} NOT NULL,
  position ${BIGINT} NOT NULL,
  link_type ${TEXT} NOT NULL,
  direction ${TEXT} NOT NULL CHECK (direction IN ('inward', 'outward')),
  label ${TEXT} NOT NULL DEFAULT '',
  other_id ${TEXT} NOT NULL,
  other_key ${TEXT} NOT NULL,
  PRIMARY KEY (ticket_id, link_id)
))",
         // "What links to X" reads by the other end.
         "CREATE INDEX ticket_links_other ON ticket_links (other_id)",
         R"(CREATE TABLE ticket_subtasks (
  ticket_id ${TEXT} NOT NULL,
  subtask_id ${TEXT} NOT NULL,
  position ${BIGINT} NOT NULL,
  subtask_key ${TEXT} NOT NULL,
  PRIMARY KEY (ticket_id, subtask_id)
))",
         R"(CREATE TABLE ticket_attachments (
  ticket_id ${TEXT} NOT NULL,
  attachment_id ${TEXT} NOT NULL,
  position ${BIGINT} NOT NULL,
  filename ${TEXT} NOT NULL DEFAULT '',
  mime_type ${TEXT} NOT NULL DEFAULT '',
  size_bytes ${BIGINT} NOT NULL DEFAULT 0,
  created_ms ${BIGINT} NOT NULL DEFAULT 0,
  author_id ${TEXT},
  author_name ${TEXT},
  PRIMARY KEY (ticket_id, attachment_id)
))",
     }},
    // The read commands: when each viewer last looked at the change feed,
    // when each linked ticket was last reviewed against its link target (and
    // its significant hash then), the feed's time index, and when a refresh
    // last found a ticket unchanged (the writer writes nothing then).
    {6,
     "change feed marks",
     {
         R"(CREATE TABLE viewer_looks (
  viewer ${TEXT} PRIMARY KEY,
  seen_ms ${BIGINT} NOT NULL
))",
         R"(CREATE TABLE link_reviews (
  entity_type ${TEXT} NOT NULL,
  entity_id ${TEXT} NOT NULL,
  ticket_id ${TEXT} NOT NULL,
  reviewed_ms ${BIGINT} NOT NULL,
  significant_hash ${TEXT} NOT NULL DEFAULT '',
  PRIMARY KEY (entity_type, entity_id, ticket_id)
))",
         "CREATE INDEX ticket_changes_at ON ticket_changes (at_ms)",
         R"(CREATE TABLE ticket_checks (
  ticket_id ${TEXT} PRIMARY KEY,
  checked_ms ${BIGINT} NOT NULL
))",
     }},
    // Full-text search for JQL's ~ (common/jql). SQLite: an FTS5 table keyed by
    // the numeric Jira id, kept by triggers. PostgreSQL: GIN indexes over the
    // same expressions compile_jql() writes (ASCII punctuation read as space).
    // Descriptions are indexed up to
    // 250,000 characters (a tsvector holds at most 1 MB).
    {7,
     "full-text search for JQL",
     {
         // The predicates JQL on the cache is asked most besides project and
         // key (bench/jql_bench.cpp, docs/benchmarks.md).
         "CREATE INDEX tickets_assignee ON tickets (assignee_id)",
         "CREATE INDEX tickets_created ON tickets (created_ms)",
         "CREATE INDEX tickets_updated ON tickets (updated_ms)",
         "-- only on sqlite\n"
         "CREATE VIRTUAL TABLE ticket_fts USING fts5(summary, description, "
         "tokenize = 'porter unicode61 remove_diacritics 0')",
         "-- only on sqlite\n"
         "CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets "
         "WHEN new.id GLOB '[0-9]*' AND new.id NOT GLOB '*[^0-9]*' AND length(new.id) <= 18 "
         "BEGIN INSERT INTO ticket_fts (rowid, summary, description) "
         "VALUES (CAST(new.id AS INTEGER), new.summary, new.description_text); END",
         "-- only on sqlite\n"
         "CREATE TRIGGER tickets_fts_update AFTER UPDATE OF id, summary, description_text "
         "ON tickets BEGIN "
         "DELETE FROM ticket_fts WHERE rowid = CAST(old.id AS INTEGER) AND old.id GLOB '[0-9]*' "
         "AND old.id NOT GLOB '*[^0-9]*' AND length(old.id) <= 18; "
         "INSERT INTO ticket_fts (rowid, summary, description) "
         "SELECT CAST(new.id AS INTEGER), new.summary, new.description_text "
         "WHERE new.id GLOB '[0-9]*' AND new.id NOT GLOB '*[^0-9]*' AND length(new.id) <= 18; "
         "END",
         "-- only on sqlite\n"
         "CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets "
         "WHEN old.id GLOB '[0-9]*' AND old.id NOT GLOB '*[^0-9]*' AND length(old.id) <= 18 "
         "BEGIN DELETE FROM ticket_fts WHERE rowid = CAST(old.id AS INTEGER); END",
         "-- only on sqlite\n"
         "INSERT INTO ticket_fts (rowid, summary, description) "
         "SELECT CAST(id AS INTEGER), summary, description_text FROM tickets "
         "WHERE id GLOB '[0-9]*' AND id NOT GLOB '*[^0-9]*' AND length(id) <= 18",
         // English stemming without PostgreSQL's long stop-word list: JQL
         // drops only Lucene's few stop words (common/jql/text_terms.cpp), so
         // "after" or "before" stay searchable as in Jira.
         "-- only on postgresql\n"
         "CREATE TEXT SEARCH DICTIONARY jirasync_english_stem "
         "(TEMPLATE = snowball, Language = english)",
         "-- only on postgresql\n"
         "CREATE TEXT SEARCH CONFIGURATION jirasync_english (COPY = english)",
         "-- only on postgresql\n"
         "ALTER TEXT SEARCH CONFIGURATION jirasync_english ALTER MAPPING FOR asciiword, "
         "asciihword, hword_asciipart, word, hword, hword_part WITH jirasync_english_stem",
         "-- only on postgresql\n"
         "CREATE INDEX tickets_text_search ON tickets USING gin "
         "(to_tsvector('jirasync_english', regexp_replace(left(summary || ' ' || "
         "description_text, 250000), '[!-/:-@[-`{-~]+', ' ', 'g')))",
         "-- only on postgresql\n"
         "CREATE INDEX tickets_summary_search ON tickets USING gin "
         "(to_tsvector('jirasync_english', regexp_replace(summary, '[!-/:-@[-`{-~]+', ' ', "
         "'g')))",
     }},
    // API keys (services/api): only the SHA-256 of a key is stored; `prefix`
    // is its first characters, enough to tell keys apart in a listing and
    // useless for guessing one. Revoked keys stay listed.
    {8,
     "API keys",
     {
         R"(CREATE TABLE api_keys (
  name ${TEXT} PRIMARY KEY,
  scope ${TEXT} NOT NULL,
  key_hash ${TEXT} NOT NULL UNIQUE,
  prefix ${TEXT} NOT NULL,
  created_ms ${BIGINT} NOT NULL,
  revoked_ms ${BIGINT},
  last_used_ms ${BIGINT}
))",
     }},
    // Notifications (common/notify): one outbox row per event and sink,
    // delivered at least once with backoff; the marks say how far each event
    // source has been read; a sweep that would delete too much of a project
    // is held here until `jirasync sweep release` applies it.
    {9,
     "notification outbox, event marks, held sweeps",
     {
         R"(CREATE TABLE notification_outbox (
  id ${SERIAL_PK},
  dedupe_key ${TEXT} NOT NULL UNIQUE,
  sink ${TEXT} NOT NULL,
  event_kind ${TEXT} NOT NULL,
  project ${TEXT} NOT NULL DEFAULT '',
  payload ${TEXT} NOT NULL,
  created_ms ${BIGINT} NOT NULL,
  attempts ${BIGINT} NOT NULL DEFAULT 0,
  next_attempt_ms ${BIGINT},
  delivered_ms ${BIGINT},
  last_error ${TEXT} NOT NULL DEFAULT ''
))",
         "CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_ms)",
         R"(CREATE TABLE notification_marks (
  source ${TEXT} PRIMARY KEY,
  mark ${BIGINT} NOT NULL
))",
         R"(CREATE TABLE sweep_holds (
  id ${SERIAL_PK},
  run_id ${TEXT} NOT NULL UNIQUE,
  project ${TEXT} NOT NULL,
  started_ms ${BIGINT} NOT NULL,
  would_delete ${BIGINT} NOT NULL,
  live ${BIGINT} NOT NULL,
  held_ms ${BIGINT} NOT NULL,
  status ${TEXT} NOT NULL DEFAULT 'held',
  released_ms ${BIGINT}
))",
         "CREATE INDEX sweep_holds_project ON sweep_holds (project, status)",
     }},
    // An index that yields JQL's default order (project, key number, id: the
    // ORDER BY compile_jql() writes, expression for expression), so a first
    // page of a project, or of any filter that matches many issues, stops
    // after its rows instead of sorting every match (docs/benchmarks.md).
    {10,
     "indexes for the search order and assignee names",
     {
         "-- only on sqlite\n"
         "CREATE INDEX tickets_key_order ON tickets (lower(project), "
         "CAST(substr(key, instr(key, '-') + 1) AS INTEGER), CAST(id AS INTEGER), id)",
         "-- only on postgresql\n"
         "CREATE INDEX tickets_key_order ON tickets ("
         "(translate(project, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') "
         "COLLATE \"C\"), "
         "(CASE WHEN split_part(key, '-', 2) ~ '^[0-9]{1,18}$' THEN "
         "CAST(split_part(key, '-', 2) AS BIGINT) ELSE 0 END), "
         "(CASE WHEN id ~ '^[0-9]{1,18}$' THEN CAST(id AS BIGINT) ELSE 0 END), "
         "(id COLLATE \"C\"))",
         // One project's key order. PostgreSQL estimates the plain and the
         // lower-case project terms as independent and would rather sort, so
         // its one-project queries keep the plain term and seek here.
         "-- only on postgresql\n"
         "CREATE INDEX tickets_project_key_order ON tickets (project, "
         "(CASE WHEN split_part(key, '-', 2) ~ '^[0-9]{1,18}$' THEN "
         "CAST(split_part(key, '-', 2) AS BIGINT) ELSE 0 END), "
         "(CASE WHEN id ~ '^[0-9]{1,18}$' THEN CAST(id AS BIGINT) ELSE 0 END), "
         "(id COLLATE \"C\"))",
         // `assignee = X` also matches display names: with this index both
         // arms of that OR are index lookups, not a scan of every ticket.
         "-- only on sqlite\n"
         "CREATE INDEX tickets_assignee_name ON tickets (lower(assignee_name))",
         "-- only on postgresql\n"
         "CREATE INDEX tickets_assignee_name ON tickets "
         "((translate(assignee_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')))",
     }},
    // One full-text index on PostgreSQL instead of migration 7's two: every
    // new or rewritten ticket ran to_tsvector over its summary twice and the
    // server kept two GIN indexes. JQL's
    // `summary ~` and `description ~` now narrow by the summary-and-
    // description index and check the field itself on those rows
    // (compile_jql()); `description ~` was a scan of every row until now.
    // Measured against one stored tsvector column (docs/benchmarks.md,
    // "Replay"): a stored or generated column is computed before ON
    // CONFLICT's check, so every upsert of an unchanged ticket would pay
    // to_tsvector, and the table doubles.
    {11,
     "one full-text index for summary and description",
     {
         "DROP INDEX tickets_summary_search",
     },
     Backend::kPostgres},
    // JQL on the cache, the rest of what docs/benchmarks.md found slow:
    // labels as rows (an index lookup, not a JSON scan of every ticket; the
    // writer keeps them, ticket_labels.hpp; existing tickets are backfilled
    // here), and indexes that yield the orders the templates use, so a first
    // page stops after its rows instead of sorting every match. The priority
    // expression is compile_jql()'s, character for character.
    {12,
     "labels as rows, indexes for the common search orders",
     {
         R"(CREATE TABLE ticket_labels (
  ticket_id ${TEXT} NOT NULL,
  label ${TEXT} NOT NULL,
  PRIMARY KEY (ticket_id, label)
))",
         "CREATE INDEX ticket_labels_label ON ticket_labels (label, ticket_id)",
         std::string("-- only on sqlite\n") + kFillTicketLabelsSqlite,
         std::string("-- only on postgresql\n") + kFillTicketLabelsPostgres,
         // `project = P ORDER BY created` (ORDER BY updated has
         // tickets_project_updated).
         "CREATE INDEX tickets_project_created ON tickets (project, created_ms)",
         // `resolved >= -7d`, `duedate < startOfDay()`: a range, not a scan.
         // (Resolved as JQL orders it: empty sorts as the largest value.)
         "CREATE INDEX tickets_resolved ON tickets ((COALESCE(resolution_ms, "
         "9223372036854775807)))",
         "CREATE INDEX tickets_due ON tickets (due_date)",
         // ORDER BY priority [DESC] (ties by id) and priority DESC, updated DESC.
         "-- only on sqlite\nCREATE INDEX tickets_priority_order ON tickets (" +
             kPriorityOrderSqlite + " DESC, CAST(id AS INTEGER), id)",
         // One project's issues by priority (`status = X AND project = P
         // ORDER BY priority` sorted every issue of the project).
         "-- only on sqlite\nCREATE INDEX tickets_project_priority_order ON tickets (project, " +
             kPriorityOrderSqlite + " DESC, CAST(id AS INTEGER), id)",
         "-- only on sqlite\nCREATE INDEX tickets_priority_updated ON tickets (" +
             kPriorityOrderSqlite + " DESC, updated_ms DESC)",
         "-- only on postgresql\nCREATE INDEX tickets_priority_order ON tickets (" +
             kPriorityOrderPostgres + " DESC, " + kNumericIdPostgres + ", (id COLLATE \"C\"))",
         "-- only on postgresql\nCREATE INDEX tickets_project_priority_order ON tickets "
         "(project, " +
             kPriorityOrderPostgres + " DESC, " + kNumericIdPostgres + ", (id COLLATE \"C\"))",
         "-- only on postgresql\nCREATE INDEX tickets_priority_updated ON tickets (" +
             kPriorityOrderPostgres + " DESC, updated_ms DESC)",
         // `assignee = currentUser() ... ORDER BY updated DESC` (my open
         // issues): the person's issues newest first, read in order. It
         // replaces the index on assignee_id alone, its prefix.
         "CREATE INDEX tickets_assignee_updated ON tickets (assignee_id, updated_ms)",
         "DROP INDEX tickets_assignee",
     }},
    // Sync scope (a project's `jql`): a ticket that left it is kept, marked
    // out of scope (searches leave it out, like a deleted one) until a full
    // sync lists it again. A sweep records which of its ids Jira still has
    // outside the scope. Constant defaults: no table rewrite on PostgreSQL.
    {13,
     "out-of-scope tickets",
     {
         "ALTER TABLE tickets ADD COLUMN out_of_scope ${BOOL} NOT NULL DEFAULT 0",
         "ALTER TABLE sweep_ids ADD COLUMN out_of_scope ${BOOL} NOT NULL DEFAULT 0",
     }},
    // One project's bulkfetch chunks spread over every fetcher (slices on the
    // fetch.slices topic): each listing of a run counts its slices here, once
    // each, so the run ends only when every slice was fetched and applied
    // (docs/architecture.md, *Slices*). Zero slices: the rule is as before.
    {14,
     "run slices",
     {
         "ALTER TABLE sync_runs ADD COLUMN slice_listing ${TEXT} NOT NULL DEFAULT ''",
         "ALTER TABLE sync_runs ADD COLUMN slices_total ${BIGINT} NOT NULL DEFAULT 0",
         "ALTER TABLE sync_runs ADD COLUMN slices_done ${BIGINT} NOT NULL DEFAULT 0",
         "ALTER TABLE sync_runs ADD COLUMN slice_emitted ${BIGINT} NOT NULL DEFAULT 0",
         "ALTER TABLE sync_runs ADD COLUMN slice_fetched ${BIGINT} NOT NULL DEFAULT 0",
         "ALTER TABLE sync_runs ADD COLUMN slice_api_calls ${BIGINT} NOT NULL DEFAULT 0",
         "ALTER TABLE sync_runs ADD COLUMN cursor_cap_ms ${BIGINT}",
         R"(CREATE TABLE run_slices (
  run_id ${TEXT} NOT NULL,
  listing ${TEXT} NOT NULL,
  seq ${BIGINT} NOT NULL,
  emitted ${BIGINT} NOT NULL,
  done_ms ${BIGINT} NOT NULL,
  fetched_by ${TEXT} NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, listing, seq)
))",
     }},
    // Jira's field list (the fetcher reads it on a full sync, or when a day
    // old): JQL on the cache names custom fields by it (`"Story Points" > 3`).
    // And `assignee = currentUser() AND issuetype = Bug ... ORDER BY priority
    // DESC, updated DESC` (my-open-bugs): the person's issues in that order,
    // read until a page is full, instead of all of them sorted.
    {15,
     "Jira's field list; a person's issues by priority and update",
     {
         R"(CREATE TABLE jira_fields (
  id ${TEXT} PRIMARY KEY,
  name ${TEXT} NOT NULL,
  custom ${BOOL} NOT NULL DEFAULT 0,
  fetched_ms ${BIGINT} NOT NULL
))",
         "-- only on sqlite\nCREATE INDEX tickets_assignee_priority_updated ON tickets "
         "(assignee_id, " +
             kPriorityOrderSqlite + " DESC, updated_ms DESC)",
         "-- only on postgresql\nCREATE INDEX tickets_assignee_priority_updated ON tickets "
         "(assignee_id, " +
             kPriorityOrderPostgres + " DESC, updated_ms DESC)",
     }},
    // The indexes a replay into an empty cache dropped, until it builds them
    // again after the rows (deferred_indexes.hpp): a replay killed in between
    // leaves them here for the next process that opens the cache.
    {16,
     "indexes a replay builds after the rows",
     {
         R"(CREATE TABLE deferred_indexes (
  name ${TEXT} PRIMARY KEY,
  definition ${TEXT} NOT NULL,
  deferred_ms ${BIGINT} NOT NULL
))",
     }},
    // The primary key (ticket_id, comment_id) already finds a ticket's
    // comments; a second index on ticket_id alone only cost every comment
    // written one more B-tree insert.
    {17,
     "drop the comments index the primary key already covers",
     {
         "DROP INDEX IF EXISTS ticket_comments_ticket",
         "DELETE FROM deferred_indexes WHERE name = 'ticket_comments_ticket'",
     }},
};

// A statement whose first line is "-- only on sqlite" or "-- only on
// postgresql" belongs to one backend (for steps such as full-text search that
// exist on both, differently).
bool runs_on(const std::string& statement, Backend backend) {
  if (statement.rfind("-- only on sqlite\n", 0) == 0) return backend == Backend::kSqlite;
  if (statement.rfind("-- only on postgresql\n", 0) == 0) return backend == Backend::kPostgres;
  return true;
}

void create_bookkeeping_table(Database& db) {
  const std::string ddl = db.dialect().expand(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version ${BIGINT} PRIMARY KEY, applied_ms ${BIGINT} NOT NULL)");
  try {
    db.session() << ddl;
  } catch (const soci::soci_error&) {
    // Two processes starting at once can both try to create it on PostgreSQL;
    // the loser fails on the catalog's unique index. It exists now either way.
    db.session() << ddl;
  }
}

std::vector<int> read_versions(Database& db) {
  std::vector<int> versions;
  for (const SqlRow& row : SqlQuery("SELECT version FROM schema_migrations ORDER BY version")
                               .fetch(db.session(), "i")) {
    versions.push_back(static_cast<int>(row.i64(0)));
  }
  return versions;
}

}  // namespace

const std::vector<Migration>& schema_migrations() {
  return kMigrations;
}

int migrate(Database& db) {
  // First: a later migration may name an index that a killed replay dropped.
  build_deferred_indexes(db);
  return migrate(db, kMigrations);
}

int migrate(Database& db, const std::vector<Migration>& migrations) {
  auto lock = db.lock();
  try {
    create_bookkeeping_table(db);
    WriteTransaction tx(db);
    if (const std::string lock_sql = db.dialect().lock_migrations(); !lock_sql.empty()) {
      db.session() << lock_sql;
    }
    const std::vector<int> done = read_versions(db);
    const std::set<int> applied(done.begin(), done.end());
    int count = 0;
    for (const Migration& m : migrations) {
      if (applied.count(m.version)) continue;
      if (!m.only_on || *m.only_on == db.backend()) {
        for (const std::string& statement : m.statements) {
          if (!runs_on(statement, db.backend())) continue;
          db.session() << db.dialect().expand(statement);
        }
      }
      SqlQuery(db.dialect().expand(
                   "INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ${NOW_MS})"))
          .arg(m.version)
          .execute(db.session());
      ++count;
    }
    tx.commit();
    return count;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db.fail("applying schema migrations", e);
  }
}

std::vector<int> applied_migrations(Database& db) {
  auto lock = db.lock();
  create_bookkeeping_table(db);
  return read_versions(db);
}

}  // namespace jirasync
