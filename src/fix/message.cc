// FIX tag=value parsing, BodyLength and CheckSum [FIX 4.2 / 4.4 "Message Format"].
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fix/fix.h"

namespace caisson::fix {

namespace {

void Report(std::vector<Finding>* findings, std::string_view rule, std::string_view file, uint64_t line,
            std::string_view field, std::string message) {
  Finding f;
  f.rule = std::string(rule);
  f.severity = Severity::kReject;
  f.record = RecordKind::kFile;
  f.file = std::string(file);
  f.line = line;
  f.field = std::string(field);
  f.message = std::move(message);
  findings->push_back(std::move(f));
}

bool ParseUnsigned(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string_view Message::Get(int tag) const {
  for (const Field& f : fields) {
    if (f.tag == tag) return f.value;
  }
  return {};
}

bool Message::Has(int tag) const {
  for (const Field& f : fields) {
    if (f.tag == tag) return true;
  }
  return false;
}

unsigned CheckSum(std::string_view bytes) {
  unsigned sum = 0;
  for (unsigned char c : bytes) sum += c;
  return sum % 256;
}

bool ParseLine(std::string_view line, std::string_view file, uint64_t line_no, Message* msg,
               std::vector<Finding>* findings) {
  msg->fields.clear();
  msg->line = line_no;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
  const size_t start = line.find("8=FIX");
  if (start == std::string_view::npos) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line[i] == '#') return false;
    Report(findings, "fix.syntax", file, line_no, "", "The line holds no FIX message (no 8=FIX).");
    return false;
  }
  std::string_view body = line.substr(start);
  // The separator is whatever ends BeginString: SOH on the wire, '|' in many human-readable logs. A '|' log
  // is checksummed as if each '|' were SOH, since that is what was sent [Caisson convention].
  const size_t sep_at = body.find_first_of(std::string_view("\x01|", 2));
  if (sep_at == std::string_view::npos) {
    Report(findings, "fix.syntax", file, line_no, "8", "The FIX message has no field separator (SOH or '|').");
    return false;
  }
  const char sep = body[sep_at];
  size_t pos = 0;
  size_t body_length_start = std::string_view::npos;  // first byte after the separator ending tag 9
  size_t checksum_at = std::string_view::npos;        // offset of "10="
  uint64_t declared_length = 0;
  bool have_length = false;
  std::string_view checksum_value;
  while (pos < body.size()) {
    size_t end = body.find(sep, pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view item = body.substr(pos, end - pos);
    const size_t eq = item.find('=');
    uint64_t tag = 0;
    if (eq == std::string_view::npos || eq == 0 || !ParseUnsigned(item.substr(0, eq), &tag) || tag == 0 ||
        tag > 99999) {
      Report(findings, "fix.syntax", file, line_no, "",
             fmt::format("Field {} of the FIX message is not tag=value.", msg->fields.size() + 1));
      msg->fields.clear();
      return false;
    }
    std::string_view value = item.substr(eq + 1);
    msg->fields.push_back(Field{static_cast<int>(tag), value});
    if (tag == 9 && !have_length) {
      have_length = ParseUnsigned(value, &declared_length);
      body_length_start = end + 1;
    }
    if (tag == 10) {
      checksum_at = pos;
      checksum_value = value;
      if (end + 1 < body.size()) {
        Report(findings, "fix.syntax", file, line_no, "10", "Text follows the CheckSum (10) field.");
        msg->fields.clear();
        return false;
      }
      break;
    }
    pos = end + 1;
  }
  if (msg->fields.size() < 3 || msg->fields[0].tag != 8 || msg->fields[1].tag != 9 || msg->fields[2].tag != 35) {
    Report(findings, "fix.syntax", file, line_no, "35",
           "A FIX message must begin with BeginString (8), BodyLength (9) and MsgType (35).");
    msg->fields.clear();
    return false;
  }
  if (!have_length) {
    Report(findings, "fix.body_length", file, line_no, "9", "BodyLength (9) is not a number.");
    msg->fields.clear();
    return false;
  }
  if (checksum_at == std::string_view::npos) {
    Report(findings, "fix.checksum", file, line_no, "10", "The FIX message has no CheckSum (10); truncated?");
    msg->fields.clear();
    return false;
  }
  const uint64_t actual_length = checksum_at - body_length_start;
  if (checksum_at < body_length_start || actual_length != declared_length) {
    Report(findings, "fix.body_length", file, line_no, "9",
           fmt::format("BodyLength (9) says {} bytes; the body has {}.", declared_length, actual_length));
    msg->fields.clear();
    return false;
  }
  unsigned sum = 0;
  for (size_t i = 0; i < checksum_at; ++i) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    sum += (c == static_cast<unsigned char>(sep)) ? 1u : c;
  }
  sum %= 256;
  uint64_t declared_sum = 0;
  if (checksum_value.size() != 3 || !ParseUnsigned(checksum_value, &declared_sum) || declared_sum != sum) {
    Report(findings, "fix.checksum", file, line_no, "10",
           fmt::format("CheckSum (10) does not match the message (computed {:03}).", sum));
    msg->fields.clear();
    return false;
  }
  return true;
}

}  // namespace caisson::fix
