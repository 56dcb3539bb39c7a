// txn/events: reading CAT order-event files [CAT IM 4.1.0 r15 §6.1] as a stream of views.
//
// A file holds one JSON object per line, LF-terminated, at most 8190 bytes a line [§6.1.2.1-2], plain
// (".json") or bzip2-compressed (".json.bz2") [§6.1.4]. The reader hands out one Event at a time; an Event is a
// set of views into the reader's line buffer, valid until the next call to Next() (no allocation per event).
// Every line that cannot be used (not JSON, over-long, unknown event type) becomes a Finding naming file, line
// and field, and reading goes on with the next line. Field facts (names, R/C/O, JSON types, where FDIDs sit) are
// data: data/txn/cat-im-4.1.0r15.json, loaded as a Catalogue.
//
// A Catalogue is immutable after Load and may be shared by threads; an EventReader is used by one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"

namespace caisson::txn {

// JSON type of a field as the spec declares it [§2.5, Table 3].
enum class JsonKind : unsigned char { kString, kTimestamp, kNumber, kBoolean, kObject, kArray, kNone, kAny };

// One field of an event table: Seq # (the CSV position), name, data type, Include Key.
struct FieldSpec {
  int seq = 0;
  std::string name;
  std::string type;     // the spec's data type, e.g. "Text (40)"; "" for retired / reserved positions
  JsonKind json = JsonKind::kAny;
  char key = 'O';       // 'R', 'C', 'O', 'A' (ATS only) or '-' (retired or reserved: must be blank)
};

// Where an event carries an FDID and which App. E Table 178 codes CAT raises for it [§2.4.2.1].
struct FdidSpec {
  std::string path;          // "firmDesignatedID", "newOrderFDID" or "<object>.firmDesignatedID"
  std::string object;        // "buyDetails", "sellDetails", "firmDetails" or "" for a top-level field
  std::string field;         // "firmDesignatedID" or "newOrderFDID"
  int missing_code = 0;      // not found in CAIS, e.g. 3701
  int invalid_code = 0;      // not valid on the date, e.g. 3702
  bool on_event_date = false;   // checked for the Event Date
  bool on_trade_date = false;   // checked for tradeDate (allocations)
  bool unless_other_correspondent = false;  // skipped when correspondentCRD is another firm's [3709/3710]
  char presence = 'C';       // 'R' or 'C' in the event table
  int field_index = -1;      // index in TypeSpec::fields of `field` (top level) or of `object`
};

// One message type (MENO, MEOA, ...): its table's fields in Seq order and its FDID locations.
struct TypeSpec {
  std::string code;
  std::string name;
  int table = 0;
  std::vector<FieldSpec> fields;
  std::vector<FdidSpec> fdid;
  // Index into fields, or -1.
  int FieldIndex(std::string_view name) const;
};

class Catalogue {
 public:
  // Reads a catalogue file (data/txn/<profile>.json). IOError when unreadable; Corruption("<file>", why) when
  // it is not a valid catalogue (not JSON, a type without fields, an FDID path naming no field, ...).
  static Result<Catalogue> Load(const std::filesystem::path& path);
  static Result<Catalogue> Parse(std::string_view json, std::string_view origin);
  // data_dir / "txn" / "cat-im-4.1.0r15.json": the shipped catalogue.
  static std::filesystem::path DefaultPath(const std::filesystem::path& data_dir);

  Catalogue(Catalogue&&) noexcept;
  Catalogue& operator=(Catalogue&&) noexcept;
  ~Catalogue();

  const std::string& profile() const;           // "cat-im-4.1.0r15"
  size_t max_line_bytes() const;                // 8190 [§6.1.2.1]
  const std::string& pending_value() const;     // "PENDING" [§2.4.2.1]
  int pending_code() const;                     // 3711
  // The type with this code, or nullptr.
  const TypeSpec* Find(std::string_view code) const;
  const std::vector<TypeSpec>& types() const;
  // Whether `value` is one of the choice values of `field` listed in the catalogue ("actionType",
  // "accountHolderType", "market_making_account_holder_type"); false for an unknown list.
  bool IsChoice(std::string_view field, std::string_view value) const;

 private:
  struct Rep;
  explicit Catalogue(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// An order-event file name [§6.1.1, Tables 143-144]:
// <SubmitterID>_<ReporterIMID>_<YYYYMMDD>_[<Group>_]OrderEvents_<nnnnnn>[.DEL].json[.bz2]
struct FileName {
  std::string submitter_id;  // digits (CRD or CAT-assigned Organization ID)
  std::string reporter_imid; // Alphanumeric(7)
  int32_t generation_date = 0;  // YYYYMMDD
  std::string group;         // "" when absent; Alphanumeric(20)
  int file_number = 0;       // 6 digits
  bool is_delete = false;    // ".DEL" file instruction
  bool bz2 = false;          // ".bz2" compression extension
};
// Parses the final path component. InvalidArgument naming the element that does not conform.
// Caisson accepts a name without ".bz2" (an uncompressed file under preparation); CAT requires it [§6.1.4].
Result<FileName> ParseFileName(std::string_view name);
// Writes the name of `f` ("<...>_OrderEvents_000001.json" + ".bz2" when f.bz2).
std::string FormatFileName(const FileName& f);

// A timestamp [Table 3]: STRING form is Eastern Time "YYYYMMDD[ |T]HHMMSS[.CCC[NNN[NNN]]]"; NUMBER form is
// nanoseconds since the epoch, UTC, converted here to Eastern Time (Caisson's reading; the spec does not say how
// an Event Date comes from a NUMBER timestamp).
struct Timestamp {
  int32_t date = 0;          // YYYYMMDD, Eastern Time: the Event Date when this is eventTimestamp
  int64_t nanos = 0;         // nanoseconds since midnight ET of `date`
  int fraction_digits = 0;   // 0, 3, 6 or 9 (NUMBER form: 9)
  bool number_form = false;
  // ET nanoseconds since 1970-01-01 00:00 of the ET calendar (for ordering within one zone).
  int64_t SortKey() const;
};
// Parses `raw`: the content of a JSON string (is_string) or a JSON number token. False when malformed or an
// impossible date or time.
bool ParseTimestamp(std::string_view raw, bool is_string, Timestamp* out);

// One field of an event as read. Nested fields of objects and of arrays of objects follow their parent.
struct Field {
  std::string_view name;
  // Strings: the decoded characters (escapes resolved; `escaped` says whether the raw text had any).
  // Numbers, booleans, null: the token. Objects and arrays: the raw JSON text, brackets included.
  std::string_view value;
  JsonKind kind = JsonKind::kAny;  // kString, kNumber, kBoolean, kObject, kArray or kNone (null)
  bool escaped = false;
  int parent = -1;                 // index of the containing field in Event::fields(), -1 at top level
  int element = -1;                // index of the element within an array parent, -1 otherwise
};

// One line of a file. All views live until the reader's next Next() call.
class Event {
 public:
  std::string_view text() const { return text_; }          // the line, without its LF
  uint64_t line() const { return line_; }                  // 1-based
  std::string_view type() const { return type_; }          // "" when absent (e.g. a DEL record)
  const TypeSpec* spec() const { return spec_; }           // nullptr for a DEL record
  std::string_view action_type() const { return action_; }
  // eventTimestamp, when present and well-formed; event_date() is 0 otherwise.
  const Timestamp& event_timestamp() const { return ts_; }
  int32_t event_date() const { return ts_.date; }
  // All fields, top level and nested, in document order.
  std::span<const Field> fields() const { return {fields_.data(), fields_.size()}; }
  // The top-level field `name`, or nullptr.
  const Field* Find(std::string_view name) const;
  // The top-level field at `index` of spec()->fields (TypeSpec::FieldIndex, resolved once by a checker), or
  // nullptr when absent or when the event has no spec. The fast way to read fields in a hot loop.
  const Field* FieldAt(int index) const;
  // The value of top-level `name` ("" when absent); see Field::value.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // The field `name` inside top-level object or array `parent`, in element `element` (0 for an object), or
  // nullptr. E.g. FindNested("buyDetails", "firmDesignatedID").
  const Field* FindNested(std::string_view parent, std::string_view name, int element = 0) const;
  // Number of elements of top-level array `name` (0 when absent or not an array of objects).
  int ElementCount(std::string_view name) const;

 private:
  friend class EventReader;
  std::string_view text_, type_, action_;
  uint64_t line_ = 0;
  const TypeSpec* spec_ = nullptr;
  Timestamp ts_;
  std::vector<Field> fields_;
  std::vector<int> slots_;  // per spec field: index into fields_, -1 when absent
};

struct ReaderOptions {
  // Report required fields that are absent (Booleans excepted: absent means false [Table 3]). Default: true.
  bool check_required = true;
  // Report top-level fields the event's table does not define (CAT: 2133). Default: true.
  bool check_unknown_fields = true;
  // Stop adding findings for a file after this many (one more says how many were left out). Default: 1000.
  size_t max_findings_per_file = 1000;
};

// Streams the events of one file after another. Reader findings use record "file" and these rules:
//   file.name          the name breaks §6.1.1 (reading goes on)
//   file.read          the bzip2 data is damaged or the file ends inside a line (CAT 2153 for bad compression)
//   event.line_length  a line longer than max_line_bytes (CAT 2132); the line is skipped
//   event.json         not one JSON object (CAT 2134); the line is skipped
//   event.type         missing or unknown `type` (CAT 2133-style); the line is skipped
//   event.timestamp    eventTimestamp (or another Timestamp field) malformed (CAT 2027); the event is still given
//   event.required     a field with Include Key R is absent; the event is still given
//   event.unknown_field a field the table does not define (CAT 2133); the event is still given
//   event.data_type    a field of the wrong JSON type; the event is still given
// An Event with problems is still returned when its line was JSON with a known type, so checkers see it.
class EventReader {
 public:
  // REQUIRES: `catalogue` outlives the reader.
  EventReader(const Catalogue& catalogue, const ReaderOptions& options);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Opens a file (bzip2 recognised by its "BZh" magic, whatever the name). A name that breaks §6.1.1 is a
  // file.name finding, not an error. Findings of this file go to *findings. NotFound / IOError when it cannot
  // be opened. REQUIRES: *findings outlives the reading of this file.
  Status Open(const std::filesystem::path& path, std::vector<Finding>* findings);
  // The next event of the open file: true with *event set, or false at the end of the file (or after a read
  // error, reported as a file.read finding). *event is valid until the next Next() or Open().
  bool Next(const Event** event);
  // The parsed name of the open file (zero values when the name did not parse) and its final component.
  const FileName& file_name() const;
  const std::string& display_name() const;
  uint64_t lines_read() const;         // lines of the open file so far
  uint64_t bytes_read() const;         // uncompressed bytes of the open file so far

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace caisson::txn
