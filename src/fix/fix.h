// fix: FIX 4.2 / 4.4 tag=value logs turned into CAT order events (IM Tech Specs v4.1.0 r15), docs/fix.md.
//
// The CAT spec defines no FIX mapping at all [cat-transactions.md §8]: which message makes which event and
// which tag feeds which field is Caisson's own convention, documented in docs/fix.md. What a FIX log cannot
// supply (the CATReporterIMID, deptType, the CRD:IMID pairs of each route, the exchange session, and the
// account → FDID table, since the FDID is never the raw account number [§2.4.2]) comes from map.toml.
//
// Reading is line by line: a log line is any text before "8=FIX" (a timestamp prefix, say) followed by one
// message whose fields are separated by SOH (0x01) or '|'. BodyLength (9) and CheckSum (10) are verified.
// A line that is not tag=value, a bad BodyLength or CheckSum, or an order that cannot be tied to its chain
// (a ClOrdID dropped at a boundary) is a Finding naming file and line; it is never a crash and never a guess.
//
// A Converter is used by one thread at a time. Memory grows with the open orders and routes, not with the
// number of messages.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "base/status.h"

namespace caisson::fix {

// One field of a message. The value is a view into the line given to ParseLine.
struct Field {
  int tag = 0;
  std::string_view value;
};

// One FIX message. Views are valid as long as the line passed to ParseLine.
struct Message {
  std::vector<Field> fields;  // in wire order (repeating groups keep their order)
  uint64_t line = 0;          // 1-based line of the log
  // The first value of `tag`, or "" when absent.
  std::string_view Get(int tag) const;
  bool Has(int tag) const;
};

// Parses one log line into *msg. Returns true when the line held a FIX message whose BodyLength and CheckSum
// verify. Returns false, with no finding, for a line without "8=FIX" that is blank or a comment ('#'); false
// with one Finding (rule "fix.syntax", "fix.body_length" or "fix.checksum", record file, the file and line,
// field "9"/"10") otherwise. `file` names the log in findings.
bool ParseLine(std::string_view line, std::string_view file, uint64_t line_no, Message* msg,
               std::vector<Finding>* findings);

// Computes the FIX CheckSum of `bytes` (sum of the bytes modulo 256).
unsigned CheckSum(std::string_view bytes);

// A counterparty session, keyed in Map::sessions by the counterparty's CompID (SenderCompID of what it sends).
struct Session {
  enum class Kind : unsigned char { kClient, kIndustryMember, kExchange };
  Kind kind = Kind::kClient;
  std::string sender_imid;   // routes: the firm's CRD:IMID as the destination knows it [§2.4.1.2]
  std::string destination;   // kIndustryMember: CRD:IMID; kExchange: the Exchange ID
  std::string session;       // kExchange: the CAT session (the name of the connection) [§2.6.3.2]
  bool affiliate = false;    // affiliateFlag of routes on this session
};

// What map.toml says about one trading account (FIX tag 1 or 79).
struct Account {
  std::string fdid;                  // firmDesignatedID as reported to CAIS
  std::string account_holder_type;   // App. G accountHolderType
  bool institution = false;          // institutionFlag on allocations
  std::string allocation_type = "CUS";
};

// The firm's reference data (map.toml). docs/fix.md lists every key and its default.
struct Map {
  uint64_t submitter_id = 0;             // [firm] submitter_id: CAT Submitter ID, file-name prefix
  std::string reporter_imid;             // [firm] reporter_imid: CATReporterIMID, Alphanumeric(7)
  std::vector<std::string> comp_ids;     // [firm] comp_ids: the firm's own SenderCompIDs
  std::string dept_type = "A";           // [firm] dept_type
  std::string trading_session = "REG";   // [firm] trading_session
  std::string principal_fdid;            // [firm] principal_fdid: firm account on principal fills
  std::string principal_account_holder_type = "P";
  std::string market_center_id;          // [firm] market_center_id: where principal trades are tape-reported
  std::string group;                     // [firm] group: optional file-name Group
  std::map<std::string, Session, std::less<>> sessions;   // [sessions.<CompID>]
  std::map<std::string, Account, std::less<>> accounts;   // [accounts.<Account>]
};

// Parses map.toml text; `name` names it in messages. InvalidArgument naming the key when a value is missing,
// of the wrong type, or out of its domain.
Result<Map> ParseMap(std::string_view text, std::string_view name);
// Reads and parses a map.toml file. NotFound / IOError when it cannot be read.
Result<Map> LoadMap(const std::filesystem::path& path);

// One CAT event produced by the Converter.
struct Event {
  std::string type;        // "MENO", "MEOR", ...
  std::string event_date;  // YYYYMMDD, Eastern Time date of eventTimestamp
  std::string json;        // one NDJSON line, no newline
};

// Counts of a conversion.
struct Summary {
  int64_t lines = 0;
  int64_t messages = 0;     // FIX messages that parsed and verified
  int64_t events = 0;       // CAT events written
  int64_t not_reported = 0; // messages that make no CAT event (session level, acks, agency pass-through fills)
  std::vector<std::filesystem::path> files;  // files written
};

// Turns FIX messages, in log order, into CAT events.
class Converter {
 public:
  using Sink = std::function<void(const Event&)>;
  // REQUIRES: `map` outlives the Converter.
  Converter(const Map& map, Sink sink, std::vector<Finding>* findings);
  ~Converter();
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Converts one message of `file`. Events go to the sink as soon as they are final (a route waits for the
  // destination's answer, which may set routeRejectedFlag).
  void Add(const Message& msg, std::string_view file, Summary* summary);
  // Flushes what is still waiting (routes never answered; orders never acknowledged become findings).
  void Finish(Summary* summary);

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

struct Options {
  std::string file_date;   // File Generation Date YYYYMMDD. Default: today in America/New_York.
  bool compress = true;    // write .json.bz2 (the spec's only compression); false writes .json
};

// Reads the logs in order, converts, and writes one OrderEvents file per Event Date into `out_dir`
// (<SubmitterID>_<IMID>_<FileDate>_[<Group>_]OrderEvents_<nnnnnn>.json[.bz2], [§6.1.1]), each written under a
// temporary name and renamed when complete. Findings are appended to *findings. Returns OK when it ran even if
// it found problems; IOError / NotFound when a log cannot be read or a file cannot be written (nothing is
// left under a final name then).
Status FromFix(const std::vector<std::filesystem::path>& logs, const Map& map, const std::filesystem::path& out_dir,
               const Options& options, std::vector<Finding>* findings, Summary* summary);

}  // namespace caisson::fix
