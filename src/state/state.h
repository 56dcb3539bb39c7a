// state: Caisson's memory between runs, one SQLite file per firm (ARCHITECTURE.md `state`; issue #7).
//
// Holds what the delta, acceptance and feedback need: per FDID and per customer the fingerprint of the last
// emitted and last accepted full state, the name register of every file ever written (base names are unique
// forever [§5.1.1]), the per-file record-ID maps, the submissions, and the rows of the audit chain (whose
// meaning belongs to `audit`). It never holds a raw SSN/ITIN/foreign identifier, birth date, account number
// or tidValue: callers pass 16-byte fingerprints and firm keys.
//
// A Store is used by one thread at a time. It holds a process lock on "<path>.lock" for its lifetime, so two
// caisson runs never write the same store. Reads go through the Store; every write goes through Write(), one
// SQLite transaction, all or nothing. Reads made inside a Write() body see that body's writes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace caisson::state {

// The schema version this Caisson writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 8;

using Fingerprint = std::array<uint8_t, 16>;

// What CAT's FDID check on order events reads from a version of an FDID record [CAT IM §2.4.2.1]: the FDID is
// valid on a date when a customer is associated with it on or before that date and it has not ended before it.
struct Validity {
  int32_t from = 0;   // YYYYMMDD: the earliest roleStartDate of its customers; 0 = no customer
  int32_t until = 0;  // YYYYMMDD: fdidEndDate; 0 = open
  int32_t facts = 0;  // kValidityMarket | ...
};
inline constexpr int32_t kValidityMarket = 1;  // accountType lists MARKET

struct Options {
  // Create the file when it does not exist; false makes a missing store NotFound (e.g. a delta asked for before
  // any full build). Default: true.
  bool create_if_missing = true;
  // Block until another run releases the store instead of failing with IOError. Default: false.
  bool wait_for_lock = false;
  // The firm the caller's books are for; -1 = do not check. Recorded on first use; a store recorded for
  // another CRD is refused. Default: -1.
  int64_t cat_reporter_crd = -1;
  int64_t cat_submitter_id = -1;  // recorded with the CRD; never checked (a firm may change submitter)
  std::string caisson_version;    // recorded in meta when the store is created
  // Run quick_check on its own connection and thread while the caller reads, instead of inside Open; the first
  // Write (or Integrity()) waits for it and fails with its Corruption. For runs that read much before they
  // write (the fast delta). Ignored when Open must migrate. Default: false.
  bool defer_integrity_check = false;
};

// What the store records about the firm (meta table).
struct Info {
  int schema_version = 0;
  int64_t cat_reporter_crd = -1;  // -1 until a run recorded it
  int64_t cat_submitter_id = -1;
  std::string created_at;         // UTC ISO-8601
  std::string created_by;         // caisson version that created the store
};

// One FDID (key: the FDID) or one customer (key: the firm's customer_id). Flag bits are the caller's.
struct RecordState {
  std::string key;
  std::optional<Fingerprint> emitted;   // full state last written to a file; nullopt = never emitted
  int64_t emitted_submission = 0;       // the submission that wrote it; 0 = none
  std::optional<Fingerprint> accepted;  // full state last accepted by CAIS; nullopt = never accepted
  int32_t first_accepted = 0;           // YYYYMMDD; 0 = never
  int32_t last_accepted = 0;            // YYYYMMDD; 0 = never
  int64_t correspondent_crd = 0;        // 0 = none
  int32_t flags = 0;                    // e.g. ended, inactive (defined by the delta)
  int32_t inactive_since = 0;           // YYYYMMDD an FDID was ended INACTIVE by Caisson; 0 = not
  std::optional<Fingerprint> tid;       // customers: fingerprint of the TID last emitted with it
  Validity emitted_validity;            // FDIDs: the version last written to a file (customers: zero)
  Validity accepted_validity;           // FDIDs: the version CAIS last accepted (customers: zero)
  // Customers: what CAIS compares for Material Inconsistencies [§6.4.1] in the version written / accepted,
  // as the delta encodes it (0 = unknown).
  int64_t emitted_mi_facts = 0;
  int64_t accepted_mi_facts = 0;
  // The delta's digest of the books rows the last emitted state came from (delta/scan.h); 0 = unknown.
  uint64_t scan = 0;
};

// What the fast delta reads of every record to decide which to load (Store::ForEachDigest).
struct DigestRow {
  std::string_view key;          // valid during the call only
  uint64_t scan = 0;             // RecordState::scan
  bool emitted = false;          // has an emitted state
  bool accepted = false;         // has an accepted state
  bool settled = false;          // emitted and accepted are the same state
  int32_t flags = 0, last_accepted = 0, inactive_since = 0;
};

struct Submission {
  int64_t id = 0;          // assigned by Txn::AddSubmission
  std::string created_at;  // UTC ISO-8601; "" = now
  std::string kind;        // "full" | "delta" | ...
  int32_t file_date = 0;   // YYYYMMDD
  int64_t fdids = 0, customers = 0, tids = 0, files = 0;
  std::string status;      // e.g. "written", "accepted"
  std::string out_dir;     // absolute folder the files were written to (recovery after a killed run)
  std::string input_digest;  // hex digest of what was built (a re-run of the same build is recognised)
  int32_t as_of = 0;         // YYYYMMDD business date of the books state it sent; 0 = unknown
  // What the record digests (RecordState::scan) of this build assume: profile and settings; "" = unknown.
  std::string scan_context;
};

// One file of the name register.
struct FileEntry {
  std::string base_name;   // e.g. "..._CAIS_000001" (no extension); unique forever
  std::string kind;        // "CAIS" | "TIDS"
  std::string partner;     // base name of the other file of the pair
  int64_t submission_id = 0;
  int64_t cat_submitter_id = 0, cat_reporter_crd = 0;
  int32_t file_date = 0;   // YYYYMMDD
  std::string group;       // "" = none
  int32_t file_number = 0;
  int64_t correspondent_crd = 0;
  int64_t compressed_bytes = 0, uncompressed_bytes = 0;
  std::string sha256;      // hex of the compressed file
  int64_t fdid_records = 0, customer_records = 0, tid_records = 0;
  std::string status;      // e.g. "written", "accepted", "rejected"
};

// The record-ID namespaces of a Data File whose feedback names records by ID [§6.3].
// kDeletion: a DELETE Correction Action Record the Data File carried; record_id is the rejectionID [§6.6.2.1].
enum class RecordKind : int { kFdid = 0, kCustomer = 1, kLargeTrader = 2, kAuthTrader = 3, kDeletion = 4 };

struct RecordMapEntry {
  RecordKind kind = RecordKind::kFdid;
  std::string record_id;   // fdidRecordID / customerRecordID / largeTraderRecordID / authTraderNameID
  std::string firm_key;    // FDID, customer_id, or the firm's key of the LTID / trader
  std::string fdid;        // large trader / auth trader: the FDID it belongs to; else ""
};

// A rejection to repair [§5.4.2; §6.3]: one per rejectionID and record it names.
struct RepairItem {
  int64_t rejection_id = 0;
  std::string file;         // base name of the Data File it came from
  RecordKind kind = RecordKind::kFdid;  // kFdid or kCustomer
  std::string firm_key;     // FDID or customer_id
  int64_t error_code = 0;
  int32_t received_on = 0;  // T, YYYYMMDD
  std::string due_at;       // the deadline, UTC ISO-8601 ("" = unknown)
  int64_t due_unix = 0;     // the same in seconds since the epoch (0 = unknown)
  int32_t due_on = 0;       // the deadline's New York date, YYYYMMDD (0 = unknown)
  std::string status = "open";  // open | repaired | late
  int32_t closed_on = 0;    // YYYYMMDD the repaired record was accepted
};

// One row of the audit chain, opaque to state (audit.h defines the fields and the hash).
// An outstanding Material Inconsistency CAIS reported on a customer [§6.4; Table 23]. CAIS names it by an
// inconsistencyEventID (one per customer, text) and the customer by its customerRecordIDs in the file it was
// last accepted in, which the record maps turn into the firm's customer key.
struct Inconsistency {
  std::string event_id;      // inconsistencyEventID
  std::string firm_key;      // customer_id
  int64_t code = 0;          // 30002..30004, 40002..40004
  std::string file;          // base name of submissionFilename
  int32_t identified_on = 0; // YYYYMMDD (New York) of identificationDate
  std::string due_at;        // inconsistencyDeadline, UTC ISO-8601 ("" = unknown)
  int64_t due_unix = 0;      // the same in seconds since the epoch (0 = unknown)
  int32_t due_on = 0;        // its New York date, YYYYMMDD (0 = unknown)
  std::string status = "open";  // open | resolved | late
  int32_t closed_on = 0;     // YYYYMMDD
};

struct AuditRow {
  int64_t seq = 0;
  std::string at, kind, actor, payload, prev_hash, hash;
};
struct AuditHead {
  int64_t seq = 0;   // 0 = no event yet
  std::string hash;  // "" = no event yet
};

// The firm's CAT set-up (issue #10; `org` gives these rows their meaning and checks their values). `env` is
// "test" | "prodmirror" | "production"; dates are YYYYMMDD, 0 = open.
struct OrgMember {             // an Industry Member a CAT Reporting Agent reports for
  int64_t crd = 0;
  std::string name;
  std::string correspondent_crds;  // comma-separated CRDs, "" = none
  std::string books_config;        // the member's own caisson.toml (its store gets its feedback); "" = none
};
struct OrgRelationship {       // a CAIS reporting relationship in one environment
  std::string env;
  int64_t member_crd = 0;
  int32_t start_date = 0, end_date = 0;
};
struct OrgSftpAccount {        // an SFTP account of one environment and its entitlement
  std::string env, user, entitlement;
  bool production = false;     // holds Reporter Production User
};
struct OrgUserRole {           // one role of a Caisson user
  std::string user, role;
};
// One file sent to CAT over SFTP. (env, base_name) is unique: a base name is sent once per environment.
struct Upload {
  int64_t id = 0;              // assigned by AddUpload
  std::string at;              // UTC ISO-8601; "" = now
  std::string env, host, remote_path, base_name, sha256, actor;
  int64_t bytes = 0;
};

class Store;

// The writes of one transaction; only lives inside Store::Write.
class Txn {
 public:
  // Inserts or replaces the row of rec.key.
  Status PutFdid(const RecordState& rec);
  Status PutCustomer(const RecordState& rec);
  // Records the firm on a store that has none yet; InvalidArgument if it records another CRD.
  Status SetFirm(int64_t cat_reporter_crd, int64_t cat_submitter_id);
  // Stores `s` (created_at "" = now) and sets s->id.
  Status AddSubmission(Submission* s);
  Status SetSubmissionStatus(int64_t id, std::string_view status);  // NotFound for an unknown id
  // Adds a file to the name register; InvalidArgument when the base name was ever registered.
  Status AddFile(const FileEntry& f);
  Status SetFileStatus(std::string_view base_name, std::string_view status);  // NotFound if unregistered
  // Sets a registered file's sizes and SHA-256 (a file registered while it was still being written).
  // NotFound if unregistered.
  Status SetFileContent(std::string_view base_name, int64_t compressed_bytes, int64_t uncompressed_bytes,
                        std::string_view sha256);
  // Maps a record ID of a registered file to the firm's key; prepared once, so 10^6 calls take seconds.
  // NotFound for an unregistered file; InvalidArgument for an ID already mapped in that file and kind.
  Status AddRecordId(std::string_view base_name, const RecordMapEntry& e);
  // The audit hook (used by audit::Append only): appends `row` and makes it the head in meta.
  // InvalidArgument unless row.seq == head.seq + 1 and row.prev_hash == head.hash.
  Status AppendAuditRow(const AuditRow& row);
  // Records a rejection to repair; one already known (rejectionID, kind, key) changes nothing. A record rejected again while an
  // item of it is open keeps that item's T and deadline [§5.4.2].
  // *inserted (if given) says whether the item was new.
  Status AddRepairItem(RepairItem item, bool* inserted = nullptr);
  // Closes the open items of a record accepted on `date` (YYYYMMDD): "repaired", or "late" after due_on.
  Status CloseRepairItems(RecordKind kind, std::string_view firm_key, int32_t date);
  // Closes the open items of a rejectionID whose DELETE CAIS accepted on `date`: "repaired", or "late" after
  // their due date [§6.6.2.1].
  Status CloseRepairItemsOf(int64_t rejection_id, int32_t date);
  // Closes one open item as "repaired" on `date` (CAIS no longer lists it as outstanding); NotFound if unknown.
  Status CloseRepairItem(int64_t rejection_id, RecordKind kind, std::string_view firm_key, int32_t date);
  Result<AuditHead> GetAuditHead() const;  // the head as of this transaction
  // Records an outstanding Material Inconsistency; one already known (event_id, firm_key) changes nothing.
  Status AddInconsistency(const Inconsistency& item, bool* inserted = nullptr);
  // Closes the open inconsistencies of a customer whose resubmission was accepted on `date` (YYYYMMDD):
  // "resolved", or "late" after due_on. `closed` (if given) gets how many.
  Status CloseInconsistencies(std::string_view firm_key, int32_t date, int64_t* closed = nullptr);
  // Records a TID feedback warning (249xx) on a customer of TID File `tid_file` (base name); once only.
  Status AddTidWarning(std::string_view tid_file, std::string_view firm_key, int64_t code);
  // Closes one open inconsistency CAIS no longer lists as "resolved"; NotFound if unknown or not open.
  Status CloseInconsistency(std::string_view event_id, std::string_view firm_key, int32_t date);

  // The firm's set-up (see OrgMember...). Put* inserts or replaces the row of the same key: member crd;
  // relationship (env, member_crd, start_date); account (env, user); role (user, role).
  Status SetOrgSetting(std::string_view key, std::string_view value);
  Status PutOrgMember(const OrgMember& m);
  Status PutOrgRelationship(const OrgRelationship& r);
  Status PutOrgSftpAccount(const OrgSftpAccount& a);
  Status PutOrgUserRole(const OrgUserRole& r);
  Status DeleteOrgUserRole(const OrgUserRole& r);  // NotFound when the user lacks the role
  // Records a file sent; sets u->id. InvalidArgument when (env, base_name) is already recorded.
  Status AddUpload(Upload* u);

 private:
  friend class Store;
  explicit Txn(Store* store) : store_(store) {}
  Store* store_;
};

class Store {
 public:
  // Opens (or creates) the store at `path`: WAL, synchronous=FULL, foreign keys on, migrations applied.
  // Fails, naming the path and changing nothing, with: NotFound (missing, !create_if_missing);
  // NotSupported (written by a newer Caisson); Corruption (not SQLite, or quick_check fails); IOError
  // (another run holds the lock: "another caisson run (pid N) is using <path>"); InvalidArgument (the store
  // belongs to another CRD than options.cat_reporter_crd).
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& path, const Options& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const;
  Result<Info> GetInfo() const;
  // The result of Open's quick_check; waits for it when it was deferred (Options::defer_integrity_check).
  Status Integrity();

  // Runs `body` in one transaction and commits if it returns OK; otherwise rolls back and returns its status.
  // Ends a HoldRead first. REQUIRES: not called from inside another Write body.
  // kInPlace puts record states straight into the main tables (dropping a key's recent row), for a write of a
  // large share of the records (a first build, its acceptance): through the recent tables and a fold, those
  // rows would be written twice and leave the recent tables' pages free in the file.
  enum class WriteMode { kLayered, kInPlace };
  Status Write(const std::function<Status(Txn&)>& body, WriteMode mode = WriteMode::kLayered);
  // Keeps one read transaction open until the next Write or ReleaseRead: the reads between see one snapshot
  // and skip SQLite's per-statement lock and file checks (a fast delta makes ~10^5 point reads). No-op inside a
  // Write body or when already held.
  Status HoldRead();
  void ReleaseRead();

  // NotFound when the key has no row.
  Result<RecordState> GetFdid(std::string_view fdid) const;
  Result<RecordState> GetCustomer(std::string_view customer_id) const;
  // Reads the states of these keys into memory, so that GetFdid / GetCustomer answer them without SQLite until
  // the next Write. For a caller that knows its keys early and can read them on another thread while it
  // works on something else: the call uses the connection throughout (one thread at a time per Store).
  Status Preload(const std::vector<std::string_view>& fdids, const std::vector<std::string_view>& customers);
  // Streams every row in key order; `fn`'s argument lives for the call only. Stops at, and returns, the first
  // non-OK status from `fn`. Memory stays constant whatever the number of rows.
  Status ForEachFdid(const std::function<Status(const RecordState&)>& fn) const;
  Status ForEachCustomer(const std::function<Status(const RecordState&)>& fn) const;
  // The same walk reading only what DigestRow holds (a few columns: much less work per row at 10^6 rows). The
  // customers' walk leaves flags, last_accepted and inactive_since at 0 (the delta reads them of FDIDs only).
  Status ForEachFdidDigest(const std::function<Status(const DigestRow&)>& fn) const;
  Status ForEachCustomerDigest(const std::function<Status(const DigestRow&)>& fn) const;
  Result<int64_t> CountFdids() const;
  Result<int64_t> CountCustomers() const;

  // Put* writes land in small tables beside the main ones, so a day's writes cost pages in proportion to the
  // records written, not to the store; reads see the newest row of a key. Compact folds them into the main
  // tables (rewriting the main pages they fall on) when they hold at least `min_fraction` as many rows as the
  // main tables (0: whenever any), in one transaction, and returns how many it folded (0: it did nothing).
  // For a step that is not on the daily job's clock (acceptance).
  Result<int64_t> Compact(double min_fraction);
  // Rows written since the last Compact, and rows in the main tables, of FDIDs and customers together; and of
  // each kind the rows a walk can meet (a key in both layers counts twice: an upper bound, for sizing).
  struct Layers {
    int64_t recent = 0, main = 0;
    int64_t fdids_at_most = 0, customers_at_most = 0;
  };
  Result<Layers> CountLayers() const;

  Result<Submission> GetSubmission(int64_t id) const;  // NotFound for an unknown id
  // The highest submission id; 0 when there is none.
  Result<int64_t> LastSubmissionId() const;
  // The files registered for submission `id`, in base-name order.
  Status ForEachFileOf(int64_t submission_id, const std::function<Status(const FileEntry&)>& fn) const;
  Result<FileEntry> GetFile(std::string_view base_name) const;  // NotFound if unregistered
  // 1 + the highest File Number registered for this submitter, CRD, date and group (1 when none) [§5.1.1].
  // Emit also scans its output folder; the caller takes the larger.
  Result<int32_t> NextFileNumber(int64_t cat_submitter_id, int64_t cat_reporter_crd, int32_t file_date,
                                 std::string_view group) const;
  // NotFound when the file or the ID is unknown.
  Result<RecordMapEntry> LookupRecordId(std::string_view base_name, RecordKind kind,
                                        std::string_view record_id) const;

  // The TID feedback warnings (249xx) recorded for a customer of TID File `tid_file`, ascending.
  Result<std::vector<int64_t>> TidWarnings(std::string_view tid_file, std::string_view firm_key) const;

  // Every Material Inconsistency, open ones first, earliest deadline first.
  Status ForEachInconsistency(const std::function<Status(const Inconsistency&)>& fn) const;

  // Every repair item, open ones first, earliest deadline first.
  Status ForEachRepairItem(const std::function<Status(const RepairItem&)>& fn) const;

  // Every ID of `kind` mapped in the file, in no particular order; stops at the first non-OK from `fn`.
  Status ForEachRecordId(std::string_view base_name, RecordKind kind,
                         const std::function<Status(const RecordMapEntry&)>& fn) const;

  // Audit hook (used by audit only): the rows in seq order, and the head recorded in meta.
  Status ForEachAuditRow(const std::function<Status(const AuditRow&)>& fn) const;
  Result<AuditHead> GetAuditHead() const;

  // The firm's set-up, in key order; "" for a setting never set.
  Result<std::string> GetOrgSetting(std::string_view key) const;
  Status ForEachOrgMember(const std::function<Status(const OrgMember&)>& fn) const;
  Status ForEachOrgRelationship(const std::function<Status(const OrgRelationship&)>& fn) const;
  Status ForEachOrgSftpAccount(const std::function<Status(const OrgSftpAccount&)>& fn) const;
  Status ForEachOrgUserRole(const std::function<Status(const OrgUserRole&)>& fn) const;
  // NotFound when the base name was never sent to `env`.
  Result<Upload> GetUpload(std::string_view env, std::string_view base_name) const;
  Status ForEachUpload(const std::function<Status(const Upload&)>& fn) const;  // in id order

  struct Rep;  // sqlite3 handle and prepared statements, in the .cc

 private:
  friend class Txn;
  explicit Store(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// The current UTC time as ISO-8601 with milliseconds ("2026-11-20T21:15:03.042Z").
std::string NowUtc();

}  // namespace caisson::state
