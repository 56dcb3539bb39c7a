// utf8: the UTF-8 check every reader of firm files applies (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), shared so that the delta's scan and ingest refuse exactly the same bytes.
#pragma once

#include <cstddef>
#include <string_view>

namespace caisson {

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or npos. Scans s from `from`
// (a sequence boundary) and stops at the first sequence boundary at or after `to`, leaving it in *stop (s.size()
// when the scan reached the end).
size_t FindInvalidUtf8(std::string_view s, size_t from, size_t to, size_t* stop);

// Whether all of `s` is well-formed UTF-8.
inline bool IsUtf8(std::string_view s) {
  size_t stop = 0;
  return FindInvalidUtf8(s, 0, s.size(), &stop) == std::string_view::npos;
}

}  // namespace caisson
