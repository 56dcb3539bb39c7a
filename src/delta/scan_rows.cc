// The books scan's parser stage (scan_rows.h).
#include "delta/scan_rows.h"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.h"
#include "delta/scan.h"

namespace caisson::delta {

namespace {

// A cell as ingest reads it: a quoted cell without its quotes, "" as one quote, and any text after the
// closing quote kept as is. `scratch` holds it when it was quoted.
std::string_view Unquote(std::string_view raw, std::string* scratch) {
  if (raw.empty() || raw.front() != '"') return raw;
  scratch->clear();
  for (size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '"') {
      if (i + 1 < raw.size() && raw[i + 1] == '"') {
        scratch->push_back('"');
        ++i;
        continue;
      }
      scratch->append(raw.substr(i + 1));
      break;
    }
    scratch->push_back(raw[i]);
  }
  return *scratch;
}

// YYYY-MM-DD or YYYYMMDD; -1 when it is neither.
int32_t ParseDate(std::string_view s) {
  auto digits = [&](size_t from, size_t n) {
    int32_t v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() == 8) return digits(0, 8);
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const int32_t y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    return y < 0 || m < 0 || d < 0 ? -1 : y * 10000 + m * 100 + d;
  }
  return -1;
}

// The first `a` or `b` of `text` at or after `i`, or text.size(). Sixteen bytes a step: a cell is ~10 bytes,
// and finding ',' or '\n' byte by byte was half of splitting a 1 M-FDID books.
template <char A, char B>
inline size_t FindEither(std::string_view text, size_t i) {
  const size_t n = text.size();
  const char* p = text.data();
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(A), vb = _mm_set1_epi8(B);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && p[i] != A && p[i] != B) ++i;
  return i;
}
// The end of a cell; and where the rest of a record whose wanted cells are split can end, unless a quote
// comes first.
inline size_t FindCommaOrNewline(std::string_view text, size_t i) { return FindEither<',', '\n'>(text, i); }
inline size_t FindQuoteOrNewline(std::string_view text, size_t i) { return FindEither<'"', '\n'>(text, i); }

}  // namespace

uint64_t IdentifierLinkKey(std::string_view id_value) {
  // Coarser than any normalisation of §3.4 (identity::Normalise*): only ASCII letters and digits count, in
  // upper case. Two identifiers that give one TID give one key; others may too, which only joins more.
  char buf[64];
  size_t n = 0;
  uint64_t h = 0x1d;
  for (char c : id_value) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) continue;
    buf[n++] = c;
    if (n == sizeof buf) {
      h = Hash64(std::string_view(buf, n), h);
      n = 0;
    }
  }
  if (n > 0) h = Hash64(std::string_view(buf, n), h);
  return h == 0x1d ? 0 : (h == 0 ? 1 : h);
}

size_t EstimateRows(std::string_view text) {
  const std::string_view head = text.substr(0, size_t{1} << 20);
  const size_t lines = static_cast<size_t>(std::count(head.begin(), head.end(), '\n'));
  if (head.size() == text.size() || lines == 0) return lines + 1;
  return static_cast<size_t>(static_cast<double>(text.size()) / static_cast<double>(head.size()) * lines * 1.05) + 1;
}

namespace {

// One books file split into records as ingest splits it (csv.cc, RFC 4180): a quote opens a quoted cell only
// at the start of a cell; text after its closing quote belongs to the cell; empty lines are no record.
// `on_record` gets the raw record bytes (without the line end), the raw cells (quotes kept), the record's byte
// offset and its 1-based line. Once `*wanted` cells of a record are split, the rest is only searched for its
// end, unless a quote comes first (addresses.csv: 2 cells of 11 wanted; the cells were the parser's hottest
// loop at 10 M).
template <typename Fn>
Status SplitCsv(std::string_view text, const std::string& where, const size_t* wanted, Fn&& on_record) {
  std::vector<std::string_view> fields;
  const size_t n = text.size();
  size_t pos = 0;
  if (n >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a UTF-8 byte order mark
  uint64_t line = 1;
  while (pos < n) {
    if (text[pos] == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (text[pos] == '\r' && (pos + 1 == n || text[pos + 1] == '\n')) {
      ++pos;
      continue;
    }
    fields.clear();
    const size_t start = pos;
    const uint64_t record_line = line;
    size_t i = pos;
    size_t record_end;
    bool quote_ahead = false;
    for (;;) {
      if (fields.size() >= *wanted && !quote_ahead) {
        const size_t e = FindQuoteOrNewline(text, i);
        if (e == n || text[e] == '\n') {
          size_t end = e;
          if (end > i && text[end - 1] == '\r') --end;
          record_end = end;
          pos = e < n ? e + 1 : n;
          if (e < n) ++line;
          break;
        }
        quote_ahead = true;  // cell by cell from here, as for the wanted ones
      }
      const size_t field_start = i;
      if (i < n && text[i] == '"') {
        ++i;
        for (;;) {
          const size_t q = text.find('"', i);
          if (q == std::string_view::npos) {
            return Status::Corruption(fmt::format("{}:{}", where, line), "unterminated quote");
          }
          line += static_cast<uint64_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                                   text.begin() + static_cast<std::ptrdiff_t>(q), '\n'));
          if (q + 1 < n && text[q + 1] == '"') {
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
      }
      size_t e = FindCommaOrNewline(text, i);
      size_t end = e;
      if (end > field_start && text[end - 1] == '\r' && (e == n || text[e] == '\n')) --end;
      fields.push_back(text.substr(field_start, end - field_start));
      if (e < n && text[e] == ',') {
        i = e + 1;
        continue;
      }
      record_end = end;
      pos = e < n ? e + 1 : n;
      if (e < n) ++line;
      break;
    }
    const std::string_view raw = text.substr(start, record_end - start);
    if (!IsUtf8(raw)) return Status::Corruption(fmt::format("{}:{}", where, record_line), "not valid UTF-8");
    on_record(raw, fields, start, record_line);
  }
  return Status::OK();
}

}  // namespace

void ParseRows(std::string_view text, const FileSpec& spec, int32_t since, int32_t stale_before, bool link_identifiers,
               const std::string& where, RowQueue* queue) {
  constexpr size_t kChunkRows = 8192;
  auto chunk = std::make_unique<RowChunk>();
  chunk->rows.reserve(kChunkRows);
  bool header = true;
  int key_col = -1, owner_col = -1, replaced_col = -1, customer_col = -1, value_col = -1, activity_col = -1,
      end_col = -1;
  std::vector<int> date_cols;
  size_t wanted = SIZE_MAX;  // cells a record needs split: all of the header's, then up to the last used
  uint64_t seed = Hash64(spec.name, 0);
  const bool accounts = std::string_view(spec.name) == "accounts.csv";
  const bool roles = std::string_view(spec.name) == "roles.csv";
  const bool links = link_identifiers && std::string_view(spec.name) == "identifiers.csv";
  std::string scratch;
  Status status;
  bool stopped = false;
  auto raw_cell = [](const std::vector<std::string_view>& f, int col) {
    return col < 0 || static_cast<size_t>(col) >= f.size() ? std::string_view() : f[col];
  };
  // A cell that outlives the record: quoted ones are unquoted into the chunk.
  auto kept = [&](std::string_view raw) -> std::string_view {
    if (raw.empty() || raw.front() != '"') return raw;
    return chunk->unquoted.emplace_back(Unquote(raw, &scratch));
  };
  Status split = SplitCsv(text, where, &wanted, [&](std::string_view raw, const std::vector<std::string_view>& f,
                                           size_t offset, uint64_t line) {
    if (stopped) return;
    if (header) {
      header = false;
      seed = Hash64(raw, seed);  // every column name and its place
      for (size_t i = 0; i < f.size(); ++i) {
        const std::string_view name = Unquote(f[i], &scratch);
        const int col = static_cast<int>(i);
        if (name == spec.key) key_col = col;
        if (name == "owner_type") owner_col = col;
        if (name == "replaced_by_fdid") replaced_col = col;
        if (name == "customer_id") customer_col = col;
        if (name == "id_value") value_col = col;
        if (name == "last_activity_date") activity_col = col;
        if (name == "fdid_end_date") end_col = col;
        if (name == "valid_from" || name.ends_with("_date")) date_cols.push_back(col);
      }
      if (key_col < 0 || (spec.owner == Owner::kByColumn && owner_col < 0) || (roles && customer_col < 0)) {
        status = Status::InvalidArgument(where, fmt::format("required column '{}' is missing",
                                                            key_col < 0 ? spec.key : roles ? "customer_id"
                                                                                           : "owner_type"));
        stopped = true;
      }
      int last = key_col;
      if (spec.owner == Owner::kByColumn) last = std::max(last, owner_col);
      if (accounts) last = std::max(last, replaced_col);
      if (roles) last = std::max(last, customer_col);
      if (links) last = std::max(last, value_col);
      if (since > 0) {
        for (int col : date_cols) last = std::max(last, col);
      }
      if (!accounts) stale_before = 0;
      if (stale_before > 0) last = std::max({last, activity_col, end_col});
      wanted = static_cast<size_t>(last) + 1;
      return;
    }
    ParsedRow& r = chunk->rows.emplace_back();
    r.offset = offset;
    r.line = line;
    r.hash = Hash64(raw, seed);
    Owner owner = spec.owner;
    if (owner == Owner::kByColumn) {
      const std::string_view type = Unquote(raw_cell(f, owner_col), &scratch);
      if (type.size() == 7 && strncasecmp(type.data(), "ACCOUNT", 7) == 0) owner = Owner::kFdid;
      else if (type.size() == 8 && strncasecmp(type.data(), "CUSTOMER", 8) == 0) owner = Owner::kCustomer;
    }
    if (owner != Owner::kByColumn) {
      r.owner = owner == Owner::kFdid ? ParsedRow::kFdid : ParsedRow::kCustomer;
      r.key = kept(raw_cell(f, key_col));
      if (accounts) r.second = kept(raw_cell(f, replaced_col));
      if (roles) r.second = kept(raw_cell(f, customer_col));
      if (links) r.link = IdentifierLinkKey(Unquote(raw_cell(f, value_col), &scratch));
      if (since > 0) {
        for (int col : date_cols) {
          const std::string_view d = Unquote(raw_cell(f, col), &scratch);
          if (d.empty()) continue;
          const int32_t date = ParseDate(d);
          if (date < 0 || date > since) r.pending = true;
        }
      }
      if (stale_before > 0 && Unquote(raw_cell(f, end_col), &scratch).empty()) {
        // --end-inactive: an open FDID whose activity is this old may end INACTIVE today, with no row changed
        // (a row the books end is not the state of an FDID --end-inactive ends: ended accounts stay unread).
        const std::string_view d = Unquote(raw_cell(f, activity_col), &scratch);
        if (!d.empty()) {
          const int32_t date = ParseDate(d);
          if (date < 0 || date < stale_before) r.pending = true;
        }
      }
    }
    if (chunk->rows.size() == kChunkRows) {
      if (queue->cancelled()) {
        stopped = true;
        return;
      }
      queue->Push(std::move(chunk));
      chunk = std::make_unique<RowChunk>();
      chunk->rows.reserve(kChunkRows);
    }
  });
  chunk->status = split.ok() ? status : split;
  chunk->last = true;
  queue->Push(std::move(chunk));
}


}  // namespace caisson::delta
