// Normalisation and validity of input identifiers, and the SHA-256 transform [§2.2.5.1; §3.4].

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/crypto.h>

#include "base/sha256.h"
#include "identity/identity.h"
#include "identity/internal.h"

namespace caisson::identity {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Splits `raw` (surrounding spaces ignored) into digit groups separated by exactly one '-' or by spaces, and
// returns the concatenated digits when the group lengths are `shape` or the value is the digits alone; "" when
// the value has any other shape.
template <size_t N>
std::string GroupedDigits(std::string_view raw, const std::array<size_t, N>& shape) {
  size_t b = 0, e = raw.size();
  while (b < e && raw[b] == ' ') ++b;
  while (e > b && raw[e - 1] == ' ') --e;
  raw = raw.substr(b, e - b);
  std::string digits;
  std::array<size_t, 16> groups{};
  size_t ngroups = 0;
  size_t run = 0;
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      ++run;
      ++i;
      continue;
    }
    // A separator: either one '-' (optionally surrounded by nothing else) or a run of spaces.
    if (run == 0 || ngroups + 1 >= groups.size()) return "";
    if (c == '-') {
      ++i;
    } else if (c == ' ') {
      while (i < raw.size() && raw[i] == ' ') ++i;
    } else {
      return "";
    }
    if (i >= raw.size() || !IsDigit(raw[i])) return "";
    groups[ngroups++] = run;
    run = 0;
  }
  if (run == 0) return "";
  groups[ngroups++] = run;
  size_t total = 0;
  for (size_t g : shape) total += g;
  if (ngroups == 1) return digits.size() == total ? digits : "";
  if (ngroups != N) return "";
  for (size_t g = 0; g < N; ++g) {
    if (groups[g] != shape[g]) return "";
  }
  return digits;
}

}  // namespace

std::string Sha256Hex(std::string_view text) { return caisson::Sha256Hex(text); }

std::string NormaliseSsn(std::string_view raw) {
  std::string d = GroupedDigits(raw, std::array<size_t, 3>{3, 2, 4});
  if (d.empty()) return "";
  return d.substr(0, 3) + "-" + d.substr(3, 2) + "-" + d.substr(5, 4);
}

std::string NormaliseEin(std::string_view raw) {
  std::string d = GroupedDigits(raw, std::array<size_t, 2>{2, 7});
  if (d.empty()) return "";
  return d.substr(0, 2) + "-" + d.substr(2, 7);
}

std::string NormaliseForeign(std::string_view raw) {
  // §3.4 removes spaces, hyphens and other punctuation. ASCII is decided here; bytes >= 0x80 (non-ASCII
  // characters) are kept, because §3.4 does not say how they hash: customer.foreign_id_chars flags them.
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) out.push_back(c);
  }
  return out;
}

namespace internal {

bool HasNonAsciiAlnum(std::string_view normalised) {
  for (char c : normalised) {
    if (!IsAsciiAlnum(c)) return true;
  }
  return false;
}

void Wipe(std::string* s) {
  // OPENSSL_cleanse is not optimised away, unlike a memset of memory about to be released.
  if (!s->empty()) OPENSSL_cleanse(s->data(), s->size());
  s->clear();
  s->shrink_to_fit();
}

}  // namespace internal

bool IsValidSsn(std::string_view f) {
  if (f.size() != 11 || f[3] != '-' || f[6] != '-') return false;
  for (size_t i : {0, 1, 2, 4, 5, 7, 8, 9, 10}) {
    if (!IsDigit(f[i])) return false;
  }
  std::string_view area = f.substr(0, 3), group = f.substr(4, 2), serial = f.substr(7, 4);
  if (area == "000" || area == "666" || group == "00" || serial == "0000") return false;
  // §3.4 1.d rejects every value of one repeated digit (§5.1.4 R6 lists fewer; the stricter list is used).
  bool all_same = true;
  for (size_t i : {1, 2, 4, 5, 7, 8, 9, 10}) {
    if (f[i] != f[0]) all_same = false;
  }
  if (all_same) return false;
  return f != "123-45-6789";
}

bool IsValidLei(std::string_view lei) {
  if (lei.size() != 20) return false;
  // ISO 7064 MOD 97-10 over the value with letters expanded to 10..35: the remainder must be 1.
  uint32_t rem = 0;
  for (char c : lei) {
    int v;
    if (IsDigit(c)) {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A' + 10;
    } else {
      return false;  // ISO 17442 LEIs are upper case
    }
    rem = v >= 10 ? (rem * 100 + static_cast<uint32_t>(v)) % 97 : (rem * 10 + static_cast<uint32_t>(v)) % 97;
  }
  return rem == 1;
}

}  // namespace caisson::identity
