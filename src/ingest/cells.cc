#include "ingest/cells.h"

#include <charconv>

namespace caisson::ingest {

namespace {
char UpperChar(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}
}  // namespace

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = UpperChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (UpperChar(a[i]) != UpperChar(b[i])) return false;
  }
  return true;
}

model::Num DateCell(std::string_view cell) {
  if (cell.empty()) return {};
  std::string_view y, m, d;
  if (cell.size() == 10 && cell[4] == '-' && cell[7] == '-') {
    y = cell.substr(0, 4);
    m = cell.substr(5, 2);
    d = cell.substr(8, 2);
  } else if (cell.size() == 8) {
    y = cell.substr(0, 4);
    m = cell.substr(4, 2);
    d = cell.substr(6, 2);
  } else {
    return model::Num::Invalid();
  }
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return model::Num::Invalid();
  int64_t v = 0;
  for (std::string_view part : {y, m, d}) {
    for (char c : part) v = v * 10 + (c - '0');
  }
  return model::Num::Of(v);
}

model::Num UnsignedCell(std::string_view cell) {
  if (cell.empty()) return {};
  if (!AllDigits(cell)) return model::Num::Invalid();
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || ptr != cell.data() + cell.size()) return model::Num::Invalid();
  return model::Num::Of(v);
}

model::Flag FlagCell(std::string_view cell) {
  if (cell.empty()) return {};
  if (EqualsIgnoreCase(cell, "Y") || EqualsIgnoreCase(cell, "TRUE") || cell == "1")
    return model::Flag::Of(true);
  if (EqualsIgnoreCase(cell, "N") || EqualsIgnoreCase(cell, "FALSE") || cell == "0")
    return model::Flag::Of(false);
  return model::Flag{model::Flag::State::kInvalid};
}

model::Text TextCell(std::string_view cell) {
  if (cell.empty()) return std::nullopt;
  return std::string(cell);
}

model::Text EnumCell(std::string_view cell) {
  if (cell.empty()) return std::nullopt;
  return Upper(cell);
}

model::TextList ListCell(std::string_view cell, bool upper) {
  if (cell.empty()) return std::nullopt;
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    size_t semi = cell.find(';', start);
    std::string_view item =
        cell.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
    items.push_back(upper ? Upper(item) : std::string(item));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return items;
}

model::NumList UnsignedListCell(std::string_view cell) {
  if (cell.empty()) return std::nullopt;
  std::vector<model::Num> items;
  size_t start = 0;
  for (;;) {
    size_t semi = cell.find(';', start);
    std::string_view item =
        cell.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
    model::Num n = UnsignedCell(item);
    items.push_back(n.present() ? n : model::Num::Invalid());
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return items;
}

model::Text DeriveRegion(std::string_view region, std::string_view country_upper) {
  if (region.empty()) return std::nullopt;
  if (country_upper != "US" && country_upper != "CA") return std::string(region);
  std::string out = Upper(region);
  // A value that already carries a country prefix ("US-NY", or a wrong "CA-ON" under US) is kept so the
  // validator can judge it against the profile's list.
  if (out.find('-') == std::string::npos) out = std::string(country_upper) + "-" + out;
  return out;
}

}  // namespace caisson::ingest
