// JSON syntax scanner (see scan.h): RFC 8259 grammar, no leading zeros, positions of keys and records.
#include "caisjson/scan.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace caisson::caisjson::internal {

namespace {

// Deeper nesting than any CAIS file needs (Main > list > record > sub-list > sub-record > value) by far; the
// limit keeps the recursion bounded on hostile input.
constexpr int kMaxDepth = 64;

class Scanner {
 public:
  Scanner(std::string_view text, ScanResult* out, const std::function<void()>* release = nullptr)
      : t_(text), out_(out), release_(release) {}

  void Main() {
    Ws();
    if (!Peek('{')) {
      Fail(p_ >= t_.size() ? "empty file: expected a JSON object" : "expected '{' (the file must be one JSON object)");
      return;
    }
    ++p_;
    Ws();
    if (Peek('}')) {
      ++p_;
      End();
      return;
    }
    for (;;) {
      ScanKey k;
      k.line = line_;
      k.column = Column(p_);
      if (!Peek('"')) {
        Fail("expected a string key");
        return;
      }
      size_t key_begin = p_ + 1;
      if (!String()) return;
      k.key.assign(t_.substr(key_begin, p_ - 1 - key_begin));
      Ws();
      if (!Expect(':', "expected ':' after a key")) return;
      Ws();
      k.value_begin = p_;
      if (Peek('[')) {
        k.is_array = true;
        if (!RecordList(&k.items)) return;
      } else if (!Value(1, false)) {
        return;
      }
      k.value_end = p_;
      out_->keys.push_back(std::move(k));
      Ws();
      if (Peek(',')) {
        ++p_;
        Ws();
        continue;
      }
      if (Peek('}')) {
        ++p_;
        break;
      }
      Fail("expected ',' or '}' in the top-level object");
      return;
    }
    End();
  }

  void Stream(std::vector<std::pair<size_t, size_t>>* values) {
    Ws();
    while (p_ < t_.size()) {
      size_t begin = p_;
      if (!Value(0, false)) return;
      values->emplace_back(begin, p_);
      Ws();
    }
  }

 private:
  bool Peek(char c) const { return p_ < t_.size() && t_[p_] == c; }
  uint64_t Column(size_t at) const { return at - line_start_ + 1; }

  bool Fail(std::string msg) {
    if (out_->ok) {
      out_->ok = false;
      out_->error = std::move(msg);
      out_->offset = p_;
      out_->line = line_;
      out_->column = Column(p_ < t_.size() ? p_ : t_.size());
    }
    return false;
  }

  bool Expect(char c, const char* msg) {
    if (!Peek(c)) return Fail(msg);
    ++p_;
    return true;
  }

  void End() {
    Ws();
    if (p_ < t_.size()) Fail("unexpected content after the top-level object");
  }

  void Ws() {
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == '\n') {
        ++line_;
        line_start_ = p_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++p_;
    }
  }

  // Top-level array: each item is a record; its range and line are kept.
  bool RecordList(std::vector<ScanItem>* items) {
    ++p_;  // '['
    Ws();
    if (Peek(']')) {
      ++p_;
      return true;
    }
    for (;;) {
      ScanItem item;
      item.begin = p_;
      item.line = line_;
      item.sub_begin = out_->sub_lines.size();
      if (!Value(2, false)) return false;
      item.end = p_;
      item.sub_end = out_->sub_lines.size();
      items->push_back(item);
      if (release_ != nullptr && p_ >= next_release_) {
        (*release_)();
        next_release_ = p_ + kReleaseEvery;
      }
      Ws();
      if (Peek(',')) {
        ++p_;
        Ws();
        continue;
      }
      if (Peek(']')) {
        ++p_;
        return true;
      }
      return Fail("expected ',' or ']' in a list");
    }
  }

  // depth: 0 top-level value, 1 value of a top-level key, 2 record, 3 value of a record field, 4 sub-record.
  bool Value(int depth, bool in_array) {
    if (p_ >= t_.size()) return Fail("unexpected end of file: expected a value");
    if (depth > kMaxDepth) return Fail("values nested too deeply");
    char c = t_[p_];
    switch (c) {
      case '{':
        if (depth == 4 && in_array) out_->sub_lines.push_back(line_);
        return Object(depth);
      case '[': return Array(depth);
      case '"': return String();
      case 't': return Literal("true");
      case 'f': return Literal("false");
      case 'n': return Literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return Number();
        return Fail(fmt::format("unexpected character '{}'", Printable(c)));
    }
  }

  static std::string Printable(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    return fmt::format("\\x{:02x}", u);
  }

  bool Object(int depth) {
    ++p_;
    Ws();
    if (Peek('}')) {
      ++p_;
      return true;
    }
    for (;;) {
      if (!Peek('"')) return Fail("expected a string key");
      if (!String()) return false;
      Ws();
      if (!Expect(':', "expected ':' after a key")) return false;
      Ws();
      if (!Value(depth + 1, false)) return false;
      Ws();
      if (Peek(',')) {
        ++p_;
        Ws();
        continue;
      }
      if (Peek('}')) {
        ++p_;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  bool Array(int depth) {
    ++p_;
    Ws();
    if (Peek(']')) {
      ++p_;
      return true;
    }
    for (;;) {
      if (!Value(depth + 1, true)) return false;
      Ws();
      if (Peek(',')) {
        ++p_;
        Ws();
        continue;
      }
      if (Peek(']')) {
        ++p_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  static bool IsHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  bool String() {
    ++p_;  // opening quote
    for (;;) {
      if (p_ >= t_.size()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(t_[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return Fail("control character inside a string (must be escaped)");
      if (c == '\\') {
        ++p_;
        if (p_ >= t_.size()) return Fail("unterminated string");
        char e = t_[p_];
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i) {
            if (p_ + i >= t_.size() || !IsHex(t_[p_ + i])) {
              p_ += i;
              return Fail("invalid \\u escape (4 hexadecimal digits needed)");
            }
          }
          p_ += 5;
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          return Fail(fmt::format("invalid escape '\\{}'", Printable(e)));
        }
      }
      ++p_;
    }
  }

  bool Digit() const { return p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9'; }

  bool Number() {
    size_t start = p_;
    if (Peek('-')) ++p_;
    if (!Digit()) return Fail("invalid number: a digit must follow '-'");
    if (t_[p_] == '0') {
      ++p_;
      if (Digit()) {
        p_ = start;  // point at the number, not at the digit after its zero
        return Fail("invalid number: leading zero");
      }
    } else {
      while (Digit()) ++p_;
    }
    if (Peek('.')) {
      ++p_;
      if (!Digit()) return Fail("invalid number: a digit must follow '.'");
      while (Digit()) ++p_;
    }
    if (Peek('e') || Peek('E')) {
      ++p_;
      if (Peek('+') || Peek('-')) ++p_;
      if (!Digit()) return Fail("invalid number: a digit must follow the exponent");
      while (Digit()) ++p_;
    }
    if (p_ < t_.size()) {
      char c = t_[p_];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        return Fail(fmt::format("unexpected character '{}' after a number", Printable(c)));
      }
    }
    return true;
  }

  bool Literal(std::string_view lit) {
    if (t_.substr(p_, lit.size()) != lit) return Fail("invalid literal (expected true, false or null)");
    p_ += lit.size();
    return true;
  }

  std::string_view t_;
  ScanResult* out_;
  const std::function<void()>* release_;  // when set
  size_t next_release_ = kReleaseEvery;
  size_t p_ = 0;
  uint64_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

void ScanMainObject(std::string_view text, ScanResult* out, const std::function<void()>& release) {
  Scanner s(text, out, release ? &release : nullptr);
  s.Main();
}

void ScanValueStream(std::string_view text, ScanResult* out, std::vector<std::pair<size_t, size_t>>* values) {
  Scanner s(text, out);
  s.Stream(values);
}

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size(), i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

}  // namespace caisson::caisjson::internal

namespace caisson::caisjson::internal {

size_t FirstInvalidUtf8(std::string_view text, const std::function<void()>& release) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.size(), at + kReleaseEvery);
    // Cut where a character starts (never inside one), a point the whole-text check passes through too, so
    // any fault is found at the same offset.
    while (end < text.size() && end > at + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    const size_t bad = at + FirstInvalidUtf8(text.substr(at, end - at));
    if (bad < end) return bad;
    at = end;
    if (release) release();
  }
  return text.size();
}

}  // namespace caisson::caisjson::internal
