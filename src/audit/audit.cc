// The hash chain: canonical encoding, append, verify, export (audit.h defines the encoding).
#include "audit/audit.h"

#include <unistd.h>

#include <array>
#include <iterator>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "state/state.h"

namespace caisson::audit {

namespace {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(*out), "\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void AppendField(std::string* out, std::string_view field) {
  AppendBigEndian(out, field.size(), 4);
  out->append(field);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// 32 raw bytes from 64 lowercase hex digits; zeros for "" (the first event) and for anything malformed, which
// then cannot match a stored hash.
std::array<unsigned char, 32> RawHash(std::string_view hex) {
  std::array<unsigned char, 32> raw{};
  if (hex.size() != 64) return raw;
  for (size_t i = 0; i < 32; ++i) {
    int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::array<unsigned char, 32>{};
    raw[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return raw;
}

std::string Actor() {
  for (const char* var : {"USER", "LOGNAME"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

// Stops Store::ForEachAuditRow once the first bad event is found.
Status StopWalk() { return Status::Internal("audit", "stop"); }

}  // namespace

std::string PayloadJson(const std::map<std::string, Value>& payload) {
  std::string out = "{";
  for (const auto& [key, value] : payload) {
    if (out.size() > 1) out.push_back(',');
    AppendJsonString(&out, key);
    out.push_back(':');
    if (const int64_t* i = std::get_if<int64_t>(&value)) {
      fmt::format_to(std::back_inserter(out), "{}", *i);
    } else {
      AppendJsonString(&out, std::get<std::string>(value));
    }
  }
  out.push_back('}');
  return out;
}

std::string EventHash(std::string_view prev_hash, int64_t seq, std::string_view at, std::string_view kind,
                      std::string_view actor, std::string_view payload) {
  std::string bytes;
  bytes.reserve(32 + 8 + 16 + at.size() + kind.size() + actor.size() + payload.size());
  const std::array<unsigned char, 32> prev = RawHash(prev_hash);
  bytes.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  AppendBigEndian(&bytes, static_cast<uint64_t>(seq), 8);
  AppendField(&bytes, at);
  AppendField(&bytes, kind);
  AppendField(&bytes, actor);
  AppendField(&bytes, payload);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest is the one-shot EVP form; SHA-256 over an in-memory buffer does not fail short of allocation.
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) return "";
  std::string hex;
  hex.reserve(64);
  for (unsigned i = 0; i < len; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", md[i]);
  return hex;
}

Status Append(state::Txn& txn, const Event& event, int64_t* seq) {
  if (event.kind.empty()) return Status::InvalidArgument("audit", "an event needs a kind");
  Result<state::AuditHead> head = txn.GetAuditHead();
  if (!head.ok()) return head.status();
  state::AuditRow row;
  row.seq = head->seq + 1;
  row.at = event.at.empty() ? state::NowUtc() : event.at;
  row.kind = event.kind;
  row.actor = event.actor.empty() ? Actor() : event.actor;
  row.payload = PayloadJson(event.payload);
  row.prev_hash = head->hash;
  row.hash = EventHash(row.prev_hash, row.seq, row.at, row.kind, row.actor, row.payload);
  if (row.hash.empty()) return Status::Internal("audit", "SHA-256 failed");
  CAISSON_RETURN_IF_ERROR(txn.AppendAuditRow(row));
  if (seq != nullptr) *seq = row.seq;
  return Status::OK();
}

Result<VerifyReport> Verify(const state::Store& store) {
  VerifyReport report;
  int64_t expected = 1;
  std::string prev;  // hash of the last good event
  auto bad = [&](int64_t seq, std::string problem) -> Status {
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return StopWalk();
  };
  Status walk = store.ForEachAuditRow([&](const state::AuditRow& row) -> Status {
    if (row.seq != expected) {
      return bad(expected, fmt::format("event {} is missing (next is {}): events were deleted", expected, row.seq));
    }
    if (row.prev_hash != prev) {
      return bad(row.seq, fmt::format("prev_hash does not match the hash of event {}: an event was inserted or "
                                      "the events were reordered", row.seq - 1));
    }
    if (EventHash(row.prev_hash, row.seq, row.at, row.kind, row.actor, row.payload) != row.hash) {
      return bad(row.seq, "hash mismatch: the event was edited");
    }
    prev = row.hash;
    ++expected;
    ++report.events;
    return Status::OK();
  });
  if (report.first_bad_seq != 0) return report;
  if (!walk.ok()) return walk;
  Result<state::AuditHead> head = store.GetAuditHead();
  if (!head.ok()) return head.status();
  const int64_t last = expected - 1;
  if (head->seq > last) {
    (void)bad(last + 1, fmt::format("the head recorded in meta is event {}, the chain ends at {}: events were deleted "
                              "from the end", head->seq, last));
  } else if (head->seq < last) {
    (void)bad(head->seq + 1, fmt::format("event {} follows the head recorded in meta (event {}): it was added outside "
                                   "Caisson", head->seq + 1, head->seq));
  } else if (head->hash != prev) {
    (void)bad(last, fmt::format("the head hash recorded in meta does not match event {}", last));
  } else {
    report.ok = true;
    report.head_hash = prev;
  }
  return report;
}

Status Export(const state::Store& store, std::FILE* out) {
  std::string line;
  Status walk = store.ForEachAuditRow([&](const state::AuditRow& row) -> Status {
    line.clear();
    fmt::format_to(std::back_inserter(line), "{{\"seq\":{},\"at\":", row.seq);
    AppendJsonString(&line, row.at);
    line.append(",\"kind\":");
    AppendJsonString(&line, row.kind);
    line.append(",\"actor\":");
    AppendJsonString(&line, row.actor);
    line.append(",\"payload\":");
    line.append(row.payload);
    line.append(",\"prev_hash\":");
    AppendJsonString(&line, row.prev_hash);
    line.append(",\"hash\":");
    AppendJsonString(&line, row.hash);
    line.append("}\n");
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      return Status::IOError("audit export", std::strerror(errno));
    }
    return Status::OK();
  });
  CAISSON_RETURN_IF_ERROR(walk);
  if (std::fflush(out) != 0) return Status::IOError("audit export", std::strerror(errno));
  return Status::OK();
}

Status ExportToFile(const state::Store& store, const std::filesystem::path& path) {
  const std::filesystem::path temp = path.string() + fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(temp.string(), std::strerror(errno));
  Status s = Export(store, f);
  if (s.ok() && ::fsync(::fileno(f)) != 0) s = Status::IOError(temp.string(), std::strerror(errno));
  if (std::fclose(f) != 0 && s.ok()) s = Status::IOError(temp.string(), std::strerror(errno));
  std::error_code ec;
  if (s.ok()) {
    std::filesystem::rename(temp, path, ec);
    if (ec) s = Status::IOError(path.string(), ec.message());
  }
  if (!s.ok()) std::filesystem::remove(temp, ec);
  return s;
}

}  // namespace caisson::audit
