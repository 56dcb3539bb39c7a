// Helpers for the fix tests: build FIX messages whose BodyLength and CheckSum are right.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fix/fix.h"

namespace caisson::fix::testing {

// "35=D|49=A|..." (fields separated by '|', no 8/9/10) → a full message with separator `sep`.
inline std::string Fix(std::string_view body, char sep = '|', std::string_view begin = "FIX.4.4") {
  std::string b(body);
  if (!b.empty() && b.back() != '|') b.push_back('|');
  for (char& c : b) {
    if (c == '|') c = sep;
  }
  std::string head = fmt::format("8={}{}9={}{}", begin, sep, b.size(), sep);
  std::string msg = head + b;
  unsigned sum = 0;
  for (unsigned char c : msg) sum += c == static_cast<unsigned char>(sep) ? 1u : c;  // as sent: SOH
  msg += fmt::format("10={:03}{}", sum % 256, sep);
  return msg;
}

// The map of the tests: firm FIRM, client CLI1, an exchange session and an IM session.
inline constexpr std::string_view kMapToml = R"(
[firm]
submitter_id = 12345
reporter_imid = "FIRM"
comp_ids = ["FIRM"]
dept_type = "A"
principal_fdid = "FIRMPRINC1"
principal_account_holder_type = "P"
market_center_id = "L"

[sessions.CLI1]
kind = "client"

[sessions.NSDQX]
kind = "exchange"
destination = "NSDQ"
sender_imid = "123:FIRMX"
session = "0042"

[sessions.BRKB]
kind = "im"
sender_imid = "123:FIRM"
destination = "456:BRKB"

[accounts.ACC1]
fdid = "FDIDA0001"
account_holder_type = "I"

[accounts.ACC2]
fdid = "FDIDA0002"
account_holder_type = "A"
institution = true
)";

}  // namespace caisson::fix::testing
