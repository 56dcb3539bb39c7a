// audit: a tamper-evident trail of what Caisson did (issue #7 item 7). Every build, acceptance, finding
// summary and state change is an event in a SHA-256 hash chain kept in the state store, written in the same
// SQLite transaction as the change it records, so a crash never leaves one without the other.
//
// Events are only appended: there is no API to edit or delete one. Verify() detects an edited, deleted,
// inserted or reordered event and names the first bad one. What it cannot detect is someone who rewrites the
// whole chain and the head consistently; an examiner anchors against that by keeping an earlier export (or its
// head hash) and checking that the current chain extends it.
//
// The hash of event n (lowercase hex of 32 bytes) is SHA-256 over, in order:
//   prev_hash  the 32 raw bytes of event n-1's hash (32 zero bytes for event 1, whose stored prev_hash is ""),
//   seq        8 bytes, unsigned big-endian,
//   at, kind, actor, payload   each as a 4-byte unsigned big-endian byte length followed by its UTF-8 bytes.
// Length prefixes make the encoding unambiguous (no field can absorb its neighbour). `at` is UTC ISO-8601 with
// milliseconds ("2026-11-20T21:15:03.042Z"); `payload` is compact JSON with keys in byte order (see Event).
//
// The functions take a Store or a Txn and are used by one thread at a time, like the Store.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.h"
#include "state/state.h"

namespace caisson::audit {

// A payload value. Payloads hold counts, names and hashes, never an identifier, birth date or account number.
using Value = std::variant<int64_t, std::string>;

struct Event {
  std::string kind;  // "build" | "accept" | "findings" | "state" | ...; must not be empty
  // Serialised as one flat JSON object; std::map orders the keys, which makes the text canonical.
  std::map<std::string, Value> payload;
  std::string at;     // "" = now (state::NowUtc())
  std::string actor;  // "" = $USER, else $LOGNAME, else "unknown"
};

// The canonical payload text: {"a":1,"b":"x"} — no spaces, keys in byte order, strings escaped as JSON
// requires (", \, control characters as \u00XX), other bytes as they are.
std::string PayloadJson(const std::map<std::string, Value>& payload);

// The hash of an event as defined above. `prev_hash` is "" for the first event, else 64 hex digits.
std::string EventHash(std::string_view prev_hash, int64_t seq, std::string_view at, std::string_view kind,
                      std::string_view actor, std::string_view payload);

// Appends `event` after the current head, inside the caller's transaction; sets *seq (if not null) to its
// number. InvalidArgument for an empty kind. The event is committed or rolled back with the transaction.
Status Append(state::Txn& txn, const Event& event, int64_t* seq = nullptr);

// What Verify found. `ok` with `events` and `head_hash`, or the first bad event and why.
struct VerifyReport {
  bool ok = false;
  int64_t events = 0;      // events read
  std::string head_hash;   // hash of the last event ("" when there is none)
  int64_t first_bad_seq = 0;
  std::string problem;     // e.g. "hash mismatch: the event was edited"
};

// Recomputes the chain from event 1 and checks it against the head in meta. Checks, per event in seq order:
// the seq follows the previous one (else: deleted), prev_hash equals the previous hash (else: inserted or
// reordered), the stored hash equals the recomputed one (else: edited); then the head (else: the tail was
// deleted, or events were appended outside Caisson). Returns OK with the report whatever it found; non-OK
// only when the store cannot be read.
Result<VerifyReport> Verify(const state::Store& store);

// Writes every event as one JSON line, in seq order:
// {"seq":1,"at":"...","kind":"...","actor":"...","payload":{...},"prev_hash":"...","hash":"..."}
// `payload` is the stored canonical text, so a reader can recompute each hash from the line alone.
Status Export(const state::Store& store, std::FILE* out);
// The same into `path`, written to a temporary name and renamed (nothing half-written).
Status ExportToFile(const state::Store& store, const std::filesystem::path& path);

}  // namespace caisson::audit
