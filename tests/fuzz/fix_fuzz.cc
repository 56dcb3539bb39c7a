// Fuzz target for the FIX reader and converter: any bytes, split into lines, give messages or findings and
// events no longer than a CAT line, never a crash. The first line, if it parses as a map, is not used: the map
// is fixed so the converter is reached.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fix/fix.h"

namespace {

constexpr std::string_view kMap = R"(
[firm]
submitter_id = 1
reporter_imid = "FIRM"
comp_ids = ["FIRM"]
principal_fdid = "P1"
market_center_id = "L"
[sessions.CLI1]
kind = "client"
[sessions.NSDQX]
kind = "exchange"
destination = "NSDQ"
sender_imid = "1:FIRMX"
session = "1"
[accounts.ACC1]
fdid = "F1"
account_holder_type = "I"
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const caisson::fix::Map map = *caisson::fix::ParseMap(kMap, "fuzz/map.toml");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)caisson::fix::ParseMap(text, "fuzz/any.toml");  // the map parser sees the bytes too
  std::vector<caisson::Finding> findings;
  caisson::fix::Summary summary;
  caisson::fix::Converter converter(
      map,
      [](const caisson::fix::Event& e) {
        if (e.json.size() > 8190 || e.json.empty() || e.json.front() != '{') std::abort();
      },
      &findings);
  uint64_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    caisson::fix::Message m;
    if (caisson::fix::ParseLine(line, "fuzz.log", ++line_no, &m, &findings)) converter.Add(m, "fuzz.log", &summary);
  }
  converter.Finish(&summary);
  for (const caisson::Finding& f : findings) {
    if (f.rule.rfind("fix.", 0) != 0) std::abort();
  }
  return 0;
}
