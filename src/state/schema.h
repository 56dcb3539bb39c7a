// Private to state: the schema, as a list of migrations. Migration N (1-based) takes user_version N-1 to N and
// runs in one transaction with the user_version update, so a store is always at exactly one version. A released
// migration is never edited; a change is a new entry (and kSchemaVersion + 1 in state.h).
#pragma once

#include "state/state.h"

namespace caisson::state {

// The columns of fdid_state / customer_state as migrations 1-7 left them, for the recent tables of migration 8.
#define CAISSON_RECENT_COLUMNS                                                            \
  "(key TEXT PRIMARY KEY, emitted BLOB CHECK (emitted IS NULL OR length(emitted) = 16), "   \
  "emitted_submission INTEGER REFERENCES submission(id), "                                 \
  "accepted BLOB CHECK (accepted IS NULL OR length(accepted) = 16), "                      \
  "first_accepted INTEGER NOT NULL, last_accepted INTEGER NOT NULL, "                      \
  "correspondent_crd INTEGER NOT NULL, flags INTEGER NOT NULL, "                           \
  "inactive_since INTEGER NOT NULL DEFAULT 0, tid BLOB CHECK (tid IS NULL OR length(tid) = 16), " \
  "emitted_from INTEGER NOT NULL DEFAULT 0, emitted_until INTEGER NOT NULL DEFAULT 0, "    \
  "emitted_facts INTEGER NOT NULL DEFAULT 0, accepted_from INTEGER NOT NULL DEFAULT 0, "   \
  "accepted_until INTEGER NOT NULL DEFAULT 0, accepted_facts INTEGER NOT NULL DEFAULT 0, " \
  "emitted_mi_facts INTEGER NOT NULL DEFAULT 0, accepted_mi_facts INTEGER NOT NULL DEFAULT 0, " \
  "scan INTEGER NOT NULL DEFAULT 0)"

inline constexpr const char* kMigrations[] = {
    // 1: the first schema.
    // Per-record tables are WITHOUT ROWID keyed by the firm's key: one B-tree, no second index, which keeps a
    // row near 100 bytes (issue #7: at most 200 bytes per FDID and customer). A zero integer costs no bytes in
    // SQLite's record format, so unset dates and flags are free.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE submission (
  id         INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  kind       TEXT NOT NULL,
  file_date  INTEGER NOT NULL,
  fdids      INTEGER NOT NULL,
  customers  INTEGER NOT NULL,
  tids       INTEGER NOT NULL,
  files      INTEGER NOT NULL,
  status     TEXT NOT NULL
);

CREATE TABLE fdid_state (
  key                TEXT PRIMARY KEY,
  emitted            BLOB CHECK (emitted IS NULL OR length(emitted) = 16),
  emitted_submission INTEGER REFERENCES submission(id),
  accepted           BLOB CHECK (accepted IS NULL OR length(accepted) = 16),
  first_accepted     INTEGER NOT NULL,
  last_accepted      INTEGER NOT NULL,
  correspondent_crd  INTEGER NOT NULL,
  flags              INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE customer_state (
  key                TEXT PRIMARY KEY,
  emitted            BLOB CHECK (emitted IS NULL OR length(emitted) = 16),
  emitted_submission INTEGER REFERENCES submission(id),
  accepted           BLOB CHECK (accepted IS NULL OR length(accepted) = 16),
  first_accepted     INTEGER NOT NULL,
  last_accepted      INTEGER NOT NULL,
  correspondent_crd  INTEGER NOT NULL,
  flags              INTEGER NOT NULL
) WITHOUT ROWID;

-- The name register: a base name is never reused [§5.1.1], so the row is never deleted.
CREATE TABLE file (
  id                 INTEGER PRIMARY KEY,
  base_name          TEXT NOT NULL UNIQUE,
  kind               TEXT NOT NULL CHECK (kind IN ('CAIS', 'TIDS')),
  partner            TEXT NOT NULL,
  submission_id      INTEGER REFERENCES submission(id),
  cat_submitter_id   INTEGER NOT NULL,
  cat_reporter_crd   INTEGER NOT NULL,
  file_date          INTEGER NOT NULL,
  grp                TEXT NOT NULL,
  file_number        INTEGER NOT NULL,
  correspondent_crd  INTEGER NOT NULL,
  compressed_bytes   INTEGER NOT NULL,
  uncompressed_bytes INTEGER NOT NULL,
  sha256             TEXT NOT NULL,
  fdid_records       INTEGER NOT NULL,
  customer_records   INTEGER NOT NULL,
  tid_records        INTEGER NOT NULL,
  status             TEXT NOT NULL,
  registered_at      TEXT NOT NULL
);
CREATE INDEX file_by_prefix ON file (cat_submitter_id, cat_reporter_crd, file_date, grp, file_number);

-- Feedback names records by the IDs of the file they came in [§6.3]; kind is state::RecordKind.
CREATE TABLE record_map (
  file_id   INTEGER NOT NULL REFERENCES file(id),
  kind      INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  firm_key  TEXT NOT NULL,
  fdid      TEXT NOT NULL,
  PRIMARY KEY (file_id, kind, record_id)
) WITHOUT ROWID;

-- The audit chain (audit.h gives the fields their meaning). Caisson has no code that updates or deletes an
-- event; the triggers make an accidental one fail loudly. They do not stop someone with the file, which is
-- what the hash chain and the head in meta are for.
CREATE TABLE audit_event (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  kind      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
)sql",
    // 2: the delta. A submission remembers its folder (finishing what a killed run left) and a digest of what it
    // built (a re-run of the same build writes nothing) and the business date of the books it sent (missed
    // intermediate states go out in order [§5.4.1]); an FDID remembers since when Caisson keeps it INACTIVE;
    // a customer the fingerprint of the TID it was last sent with (a TID replacement [§3.2] needs to know which
    // TID CAIS has, and the TID itself is not stored).
    R"sql(
ALTER TABLE submission ADD COLUMN out_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE submission ADD COLUMN input_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE submission ADD COLUMN as_of INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN inactive_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN inactive_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN tid BLOB CHECK (tid IS NULL OR length(tid) = 16);
ALTER TABLE customer_state ADD COLUMN tid BLOB CHECK (tid IS NULL OR length(tid) = 16);
)sql",
    // 3: repair items [§5.4.2; §6.3]: one per rejectionID and record it names (a customer rejection may name
    // several customerRecordIDs), linked to the firm's key, with the deadline (17:00 ET on T+3) and its fate.
    R"sql(
CREATE TABLE repair_item (
  rejection_id INTEGER NOT NULL,
  file         TEXT NOT NULL,
  record_kind  INTEGER NOT NULL,
  firm_key     TEXT NOT NULL,
  error_code   INTEGER NOT NULL,
  received_on  INTEGER NOT NULL,
  due_at       TEXT NOT NULL,
  due_unix     INTEGER NOT NULL,
  due_on       INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'repaired', 'late')),
  closed_on    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (rejection_id, record_kind, firm_key)
);
CREATE INDEX repair_item_by_record ON repair_item (record_kind, firm_key, status);
)sql",
    // 4: the transaction side checks the FDIDs on order events against what CAIS holds [CAT IM §2.4.2.1], so an
    // FDID remembers the dates that make it valid, for the version written and the version accepted. Zeros cost
    // nothing, so customers share the columns.
    R"sql(
ALTER TABLE fdid_state ADD COLUMN emitted_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN emitted_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN emitted_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN accepted_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN accepted_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN accepted_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN emitted_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN emitted_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN emitted_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN accepted_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN accepted_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN accepted_facts INTEGER NOT NULL DEFAULT 0;
)sql",
    // 5: Material Inconsistencies [§6.4; §6.6.3]: one row per inconsistencyEventID and customer it names, with
    // the deadline CAIS gave and how it ended; and per customer the facts CAIS compares for them (kind,
    // yearOfBirth, ein) in the version written and accepted, so a change is flagged or predicted before it goes;
    // and the TID File warnings that explain a customer's rejection.
    R"sql(
CREATE TABLE inconsistency (
  event_id      TEXT NOT NULL,
  firm_key      TEXT NOT NULL,
  code          INTEGER NOT NULL,
  file          TEXT NOT NULL,
  identified_on INTEGER NOT NULL,
  due_at        TEXT NOT NULL,
  due_unix      INTEGER NOT NULL,
  due_on        INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'late')),
  closed_on     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, firm_key)
) WITHOUT ROWID;
CREATE INDEX inconsistency_by_customer ON inconsistency (firm_key, status);
ALTER TABLE fdid_state ADD COLUMN emitted_mi_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdid_state ADD COLUMN accepted_mi_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN emitted_mi_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN accepted_mi_facts INTEGER NOT NULL DEFAULT 0;
-- TID feedback warnings (249xx) name customers of a TID File; each explains the customer error of the paired
-- Data File (22526, 22900, 22914, 22502) [App. B Table 31].
CREATE TABLE tid_warning (
  tid_file TEXT NOT NULL,
  firm_key TEXT NOT NULL,
  code     INTEGER NOT NULL,
  PRIMARY KEY (tid_file, firm_key, code)
) WITHOUT ROWID;
)sql",
    // 6: the firm's CAT set-up and what it sent (issue #10). Members an agent reports for, CAIS reporting
    // relationships per environment (never ported between environments: Onboarding Guide §5), SFTP accounts
    // and their entitlements (§4.3), Caisson's users and their roles (mirroring §3.2), and every file sent
    // over SFTP. A base name goes to an environment once [§5.1.1 R4], hence the unique key. No secret is stored.
    R"sql(
CREATE TABLE org_member (
  crd                INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  correspondent_crds TEXT NOT NULL,
  books_config       TEXT NOT NULL
);
CREATE TABLE org_relationship (
  env        TEXT NOT NULL CHECK (env IN ('test', 'prodmirror', 'production')),
  member_crd INTEGER NOT NULL,
  start_date INTEGER NOT NULL,
  end_date   INTEGER NOT NULL,
  PRIMARY KEY (env, member_crd, start_date)
) WITHOUT ROWID;
CREATE TABLE org_sftp_account (
  env         TEXT NOT NULL CHECK (env IN ('test', 'prodmirror', 'production')),
  username    TEXT NOT NULL,
  entitlement TEXT NOT NULL,
  production  INTEGER NOT NULL,
  PRIMARY KEY (env, username)
) WITHOUT ROWID;
CREATE TABLE org_user_role (
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (username, role)
) WITHOUT ROWID;
CREATE TABLE upload (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  env         TEXT NOT NULL,
  host        TEXT NOT NULL,
  remote_path TEXT NOT NULL,
  base_name   TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  UNIQUE (env, base_name)
);
)sql",
    // 7: the fast daily delta (delta/scan.h). Per record, a 64-bit digest of the books rows its last emitted
    // state came from (0 = unknown: the record is read from the books); per submission, the profile and
    // settings it was built under, so a delta under others reads the whole books again.
    R"sql(
ALTER TABLE fdid_state ADD COLUMN scan INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_state ADD COLUMN scan INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submission ADD COLUMN scan_context TEXT NOT NULL DEFAULT '';
)sql",
    // 8: the day's record states land in two small tables, which Store::Compact folds into the main ones. A
    // daily delta rewrites ~3 % of the records at random keys; at 10^7 records, written in place, that touched
    // most leaf pages of the 3.6 GB main B-trees (1.8 GB into the WAL, and the same again at the checkpoint).
    // A key in `*_recent` shadows its row in `*_state`. `state_main_fdids` / `_customers` count the main tables'
    // rows, so deciding to compact (or sizing a walk) costs no walk of them.
    "CREATE TABLE fdid_recent " CAISSON_RECENT_COLUMNS " WITHOUT ROWID;"
    "CREATE TABLE customer_recent " CAISSON_RECENT_COLUMNS " WITHOUT ROWID;"
    R"sql(
INSERT INTO meta(key, value) SELECT 'state_main_fdids', count(*) FROM fdid_state;
INSERT INTO meta(key, value) SELECT 'state_main_customers', count(*) FROM customer_state;
)sql",
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion,
              "one migration per schema version");

}  // namespace caisson::state
