// identity: turns raw input identifiers into TID records [§2.2.5; §3.4; Table 9].
//
// For each customer it chooses the input identifier by the §2.2.5 hierarchy (SSN/ITIN for natural persons or
// EIN for legal entities whenever present; otherwise NATIONALID > LEI > PASSPORT > PERMANENT > DRIVERLICENSE >
// OTHGOVT, the primary one within a type; GIIN never), normalises it exactly as §3.4 prescribes
// (`999-99-9999`, `99-9999999`, foreign: letters and digits only, case kept), and transforms it with the
// configured transformer. It fills Customer::tid, `ein` (formatted, plaintext) and `lei`, and evaluates the
// rules that need raw values: customer.tid_format, customer.tid_hierarchy, customer.giin,
// customer.foreign_id_chars, customer.np_required/le_required (22526: no usable identifier), fdid.sensitive.
// Findings never contain a raw value. When done it clears *sensitive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"
#include "spec/spec.h"

namespace caisson::identity {

struct Options {
  std::string transformer = "cat-sha256";  // "cat-sha256" (§3.4, the default) or "command"
  std::vector<std::string> command;        // argv of the external transformer (transformer == "command")
  // YYYYMMDD: identifiers ended on or before it are not current. 0 (no business date): every identifier with an
  // end_date, or an unreadable one, is ended.
  int32_t as_of = 0;
};

// Fills TIDs for every customer of *books and clears *sensitive. Non-OK only when the transformer could not
// run (the command failed, answered short or malformed: InvalidArgument/IOError); findings otherwise.
Status Transform(const spec::Profile& profile, const Options& options, model::Books* books,
                 model::SensitiveInput* sensitive, std::vector<Finding>* findings);

// Lowercase 64-hex SHA-256 of `text` (UTF-8) — the §3.4 TID of an already formatted identifier.
std::string Sha256Hex(std::string_view text);

// Normalises an SSN/ITIN to "999-99-9999" (9 digits, with '-' or ' ' between the groups only); "" when the
// input is not of that shape.
std::string NormaliseSsn(std::string_view raw);
// Normalises an EIN to "99-9999999"; "" when not of that shape.
std::string NormaliseEin(std::string_view raw);
// Foreign identifier: removes ASCII spaces, punctuation and control characters, keeps ASCII letters and digits
// (case kept) and every non-ASCII byte (§3.4 does not say how those hash: customer.foreign_id_chars flags
// them); "" when nothing remains.
std::string NormaliseForeign(std::string_view raw);
// §3.4 validity of a formatted SSN/ITIN (area not 000/666, group not 00, serial not 0000, not all one digit,
// not 123-45-6789).
bool IsValidSsn(std::string_view formatted);
// ISO 17442 / ISO 7064 MOD 97-10 check of a 20-character LEI (upper-case letters and digits).
bool IsValidLei(std::string_view lei);

// Parses the answer of a `command` transformer (docs/identity.md): exactly `expected` lines, each 64
// hexadecimal characters ending in '\n' (the last '\n' and a '\r' before each '\n' are tolerated). On success
// *tids holds the lowercased values in order; InvalidArgument naming the line otherwise (never quoting it).
Status ParseTransformerAnswer(std::string_view answer, size_t expected, std::vector<std::string>* tids);

}  // namespace caisson::identity
