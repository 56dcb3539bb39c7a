// Text: one CAIS text field as read, absent or a value (possibly empty), in 16 bytes. Private to model;
// other modules include "model/model.h".
//
// It replaces std::optional<std::string> (40 bytes even when absent) in the record model, where most fields
// are short or absent. A value up to kInlineCapacity (14) bytes lives in the object, a longer one in a heap
// block the object owns (deep-copied on copy, stolen on move; a moved-from Text is absent). The interface
// follows std::optional where it can, but the value reads as a std::string_view: `*t`, `t.value()` and
// `t.view()` return a view into the object, valid until the Text is assigned, reset, moved from or destroyed.
// Use `str()` or `std::string(*t)` where a std::string is needed. One writer at a time, as for std::string.
#pragma once

#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace caisson::model {

class Text {
 public:
  static constexpr size_t kInlineCapacity = 14;     // longest value stored without a heap block
  static constexpr size_t kMaxSize = UINT32_MAX;    // longest value at all

  // Absent.
  Text() noexcept = default;
  Text(std::nullopt_t) noexcept {}  // NOLINT(google-explicit-constructor): mirrors std::optional
  // Present with a copy of `v`.  REQUIRES: v.size() <= kMaxSize (aborts otherwise); `s` is not null.
  Text(std::string_view v) { Set(v); }            // NOLINT(google-explicit-constructor)
  Text(const std::string& v) { Set(v); }          // NOLINT(google-explicit-constructor)
  Text(const char* s) { Set(std::string_view(s)); }  // NOLINT(google-explicit-constructor)

  Text(const Text& other) { CopyFrom(other); }
  Text(Text&& other) noexcept { Steal(other); }
  Text& operator=(const Text& other);
  Text& operator=(Text&& other) noexcept;
  Text& operator=(std::nullopt_t) noexcept;
  Text& operator=(std::string_view v);
  Text& operator=(const std::string& v) { return *this = std::string_view(v); }
  Text& operator=(const char* s) { return *this = std::string_view(s); }
  ~Text() { Release(); }

  bool has_value() const noexcept { return tag_ != kAbsent; }
  explicit operator bool() const noexcept { return has_value(); }

  // The value; an empty view when absent (std::optional would be undefined or throw). The view lives as long
  // as this Text is neither changed nor destroyed.
  std::string_view view() const noexcept {
    if (tag_ <= kInlineCapacity) return std::string_view(rep_, tag_);
    if (tag_ == kHeap) return std::string_view(HeapData(), HeapSize());
    return {};
  }
  std::string_view operator*() const noexcept { return view(); }
  std::string_view value() const noexcept { return view(); }
  std::string_view value_or(std::string_view fallback) const noexcept {
    return has_value() ? view() : fallback;
  }
  // A copy of the value; "" when absent.
  std::string str() const { return std::string(view()); }
  // True when the value is empty, and when absent: test has_value() first where the two differ.
  bool empty() const noexcept { return view().empty(); }

  // Makes it absent and frees any heap block.
  void reset() noexcept;
  // Makes it present with the value std::string(args...) and returns a view of it.
  template <typename... Args>
  std::string_view emplace(Args&&... args) {
    if constexpr (sizeof...(Args) == 1 && (std::is_convertible_v<Args, std::string_view> && ...)) {
      *this = std::string_view(args...);
    } else {
      *this = std::string_view(std::string(std::forward<Args>(args)...));
    }
    return view();
  }
  void swap(Text& other) noexcept;

  // Absent equals absent (and std::nullopt) only; two values compare as strings.
  friend bool operator==(const Text& a, const Text& b) noexcept {
    return a.has_value() == b.has_value() && a.view() == b.view();
  }
  friend bool operator==(const Text& a, std::string_view b) noexcept {
    return a.has_value() && a.view() == b;
  }
  friend bool operator==(const Text& a, const std::string& b) noexcept { return a == std::string_view(b); }
  friend bool operator==(const Text& a, const char* b) noexcept { return a == std::string_view(b); }
  friend bool operator==(const Text& a, std::nullopt_t) noexcept { return !a.has_value(); }
  // std::optional's order: absent before any value, values as strings.
  friend bool operator<(const Text& a, const Text& b) noexcept {
    if (!b.has_value()) return false;
    if (!a.has_value()) return true;
    return a.view() < b.view();
  }
  // Writes the value, or "(absent)", so test failures read well.
  friend std::ostream& operator<<(std::ostream& os, const Text& t);

 private:
  static constexpr unsigned char kHeap = 0xFE;
  static constexpr unsigned char kAbsent = 0xFF;

  void Set(std::string_view v);  // REQUIRES: no heap block held.
  void CopyFrom(const Text& other) {
    if (other.tag_ == kHeap) {
      Set(other.view());
    } else {
      std::memcpy(rep_, other.rep_, sizeof(rep_));
      tag_ = other.tag_;
    }
  }
  void Steal(Text& other) noexcept {
    std::memcpy(rep_, other.rep_, sizeof(rep_));
    tag_ = other.tag_;
    other.tag_ = kAbsent;
  }
  void Release() noexcept {
    if (tag_ == kHeap) FreeHeap();
  }
  void FreeHeap() noexcept;
  const char* HeapData() const noexcept {
    const char* p;
    std::memcpy(&p, rep_, sizeof(p));
    return p;
  }
  uint32_t HeapSize() const noexcept {
    uint32_t n;
    std::memcpy(&n, rep_ + sizeof(char*), sizeof(n));
    return n;
  }

  // Inline: the bytes of the value, tag_ = its length (0..14). Heap: a char* then a uint32_t length, tag_ =
  // kHeap. Absent: tag_ = kAbsent, rep_ unused.
  alignas(8) char rep_[15] = {};
  unsigned char tag_ = kAbsent;
};

static_assert(sizeof(Text) == 16, "model::Text must stay 16 bytes");
static_assert(std::is_nothrow_move_constructible_v<Text> && std::is_nothrow_move_assignable_v<Text>);

inline void swap(Text& a, Text& b) noexcept { a.swap(b); }

}  // namespace caisson::model
