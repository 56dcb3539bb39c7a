#include "model/text.h"

#include <cstdlib>
#include <ostream>

namespace caisson::model {

void Text::Set(std::string_view v) {
  if (v.size() <= kInlineCapacity) {
    if (!v.empty()) std::memcpy(rep_, v.data(), v.size());
    tag_ = static_cast<unsigned char>(v.size());
    return;
  }
  if (v.size() > kMaxSize) std::abort();  // a CSV field or JSON string of 4 GiB: not a book Caisson can hold
  char* p = new char[v.size()];
  std::memcpy(p, v.data(), v.size());
  const auto n = static_cast<uint32_t>(v.size());
  std::memcpy(rep_, &p, sizeof(p));
  std::memcpy(rep_ + sizeof(p), &n, sizeof(n));
  tag_ = kHeap;
}

void Text::FreeHeap() noexcept {
  delete[] const_cast<char*>(HeapData());
  tag_ = kAbsent;
}

Text& Text::operator=(const Text& other) {
  if (this == &other) return *this;
  if (other.tag_ == kHeap) {
    Text copy(other);  // allocate first, so *this is unchanged if new throws
    Release();
    Steal(copy);
  } else {
    Release();
    CopyFrom(other);
  }
  return *this;
}

Text& Text::operator=(Text&& other) noexcept {
  if (this == &other) return *this;
  Release();
  Steal(other);
  return *this;
}

Text& Text::operator=(std::nullopt_t) noexcept {
  reset();
  return *this;
}

Text& Text::operator=(std::string_view v) {
  // `v` may point into this Text's own value: build the new value before freeing the old one.
  Text fresh(v);
  Release();
  Steal(fresh);
  return *this;
}

void Text::reset() noexcept {
  Release();
  tag_ = kAbsent;
}

void Text::swap(Text& other) noexcept {
  Text tmp(std::move(other));
  other = std::move(*this);
  *this = std::move(tmp);
}

std::ostream& operator<<(std::ostream& os, const Text& t) {
  if (!t.has_value()) return os << "(absent)";
  return os << '"' << t.view() << '"';
}

}  // namespace caisson::model
