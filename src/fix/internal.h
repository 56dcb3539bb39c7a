// Private to src/fix: value translations FIX → CAT and the JSON writer of one event (docs/fix.md §3-§4).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fix/fix.h"

namespace caisson::fix::internal {

// A FIX message copied out of its line, so it can wait for its answer.
struct Owned {
  std::vector<std::pair<int, std::string>> fields;
  uint64_t line = 0;
  std::string file;
  static Owned From(const Message& m, std::string_view file);
  std::string_view Get(int tag) const;
};

// An Eastern Time CAT timestamp made from a FIX UTCTimestamp.
struct Stamp {
  std::string text;  // "YYYYMMDDTHHMMSS.fff[fff[fff]]" Eastern Time [Table 3 Timestamp, STRING form]
  std::string date;  // "YYYYMMDD", the Event Date when this is an eventTimestamp [§2.4.2.1 fn 4]
};
// FIX UTCTimestamp "YYYYMMDD-HH:MM:SS[.s{1,9}]" → ET. Milliseconds at least [§2.3.1]; finer digits are kept
// to 6 or 9. False when the text is not a valid UTCTimestamp.
bool ToStamp(std::string_view fix_utc, Stamp* out);

// The order terms of a NewOrderSingle / CancelReplace / ExecutionReport, translated to CAT values.
struct Terms {
  std::string side;                  // App. G side
  std::string price;                 // Price, "" when omitted (market order)
  std::string quantity;              // Real Quantity, normalised
  std::string min_qty;               // "" when not given
  std::string order_type;            // LMT / MKT
  std::string tif_code;              // FIX 59 as given ("0" when absent)
  std::string expire_date;           // FIX 432
  std::string expire_time;           // FIX 126
  std::vector<std::pair<std::string, std::string>> hi;  // handlingInstructions: name, JSON value
  std::string iso = "NA";            // isoInd
  bool manual = false;               // FIX 1028 ManualOrderIndicator = Y
};
// Translates the terms; on failure returns false and sets *field to the FIX tag that has no CAT value.
bool ReadTerms(const Owned& m, Terms* t, std::string* field, std::string* why);
// {"DAY":20260105} etc. from the terms and the Event Date [App. G timeInForce]. False when 59 has no mapping.
bool TimeInForceJson(const Terms& t, std::string_view event_date, std::string* out);
// "B","SL","SS","SX" from FIX 54; "" when FIX has a side CAT does not have.
std::string_view Side(std::string_view fix_side);
// A decimal as CAT writes it: digits, optional fraction without trailing zeros. False when `s` is not an
// unsigned decimal or has more than `max_scale` fraction digits once trailing zeros are gone.
bool NormalizeDecimal(std::string_view s, int max_scale, std::string* out);
// Text (Table 3): printable ASCII 32-126 without , | " @; at most `max` characters.
bool IsText(std::string_view s, size_t max);

// Appends "key":value pairs to one JSON object. Values are already JSON (quote with Str).
class Json {
 public:
  void Str(std::string_view key, std::string_view value);   // skipped when value is empty (omitted [§6.1.2.2])
  void Raw(std::string_view key, std::string_view json);    // skipped when json is empty
  void Bool(std::string_view key, bool v);
  std::string Done();
 private:
  void Key(std::string_view key);
  std::string out_ = "{";
};

}  // namespace caisson::fix::internal
