// A state store's content as text, for tests that compare two stores built from the same books.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "state/state.h"

namespace caisson::testing {

// One line per record state and submission (times left out). `digests_and_maps`: also the books digest of
// each record state, the submission's scan context, and each file with its record-ID map.
inline std::string DumpStore(const std::filesystem::path& db, bool digests_and_maps = false) {
  state::Options options;
  options.create_if_missing = false;
  Result<std::unique_ptr<state::Store>> opened = state::Store::Open(db, options);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return "";
  const state::Store& store = **opened;
  std::string out;
  auto fp = [](const std::optional<state::Fingerprint>& f) {
    if (!f) return std::string("-");
    std::string hex;
    for (uint8_t b : *f) hex += fmt::format("{:02x}", b);
    return hex;
  };
  auto dump = [&](const char* what) {
    return [&, what](const state::RecordState& r) {
      out += fmt::format("{} {} e={} es={} a={} fa={} la={} crd={} fl={} in={} tid={} ev={}/{}/{} av={}/{}/{} mi={}/{}\n",
                         what, r.key, fp(r.emitted), r.emitted_submission, fp(r.accepted), r.first_accepted,
                         r.last_accepted, r.correspondent_crd, r.flags, r.inactive_since, fp(r.tid),
                         r.emitted_validity.from, r.emitted_validity.until, r.emitted_validity.facts,
                         r.accepted_validity.from, r.accepted_validity.until, r.accepted_validity.facts,
                         r.emitted_mi_facts, r.accepted_mi_facts);
      if (digests_and_maps) out += fmt::format("  scan={}\n", r.scan);
      return Status::OK();
    };
  };
  EXPECT_TRUE(store.ForEachFdid(dump("fdid")).ok());
  EXPECT_TRUE(store.ForEachCustomer(dump("customer")).ok());
  Result<int64_t> last = store.LastSubmissionId();
  EXPECT_TRUE(last.ok());
  for (int64_t id = 1; last.ok() && id <= *last; ++id) {
    Result<state::Submission> s = store.GetSubmission(id);
    if (!s.ok()) continue;
    out += fmt::format("submission {} {} {} {}/{}/{}/{} {} {} {}\n", s->id, s->kind, s->file_date, s->fdids,
                       s->customers, s->tids, s->files, s->status, s->as_of, s->input_digest);
    if (!digests_and_maps) continue;
    out += fmt::format("  scan context {}\n", s->scan_context);
    EXPECT_TRUE(store.ForEachFileOf(id, [&](const state::FileEntry& f) {
      out += fmt::format("  file {} {} {} {} {}/{} {} {}/{}/{} {}\n", f.base_name, f.kind, f.partner, f.correspondent_crd,
                         f.compressed_bytes, f.uncompressed_bytes, f.sha256, f.fdid_records, f.customer_records,
                         f.tid_records, f.status);
      if (f.kind != "CAIS") return Status::OK();
      for (state::RecordKind kind : {state::RecordKind::kFdid, state::RecordKind::kCustomer,
                                     state::RecordKind::kLargeTrader, state::RecordKind::kAuthTrader,
                                     state::RecordKind::kDeletion}) {
        Status s = store.ForEachRecordId(f.base_name, kind, [&](const state::RecordMapEntry& e) {
          out += fmt::format("    {} {} {} {}\n", static_cast<int>(e.kind), e.record_id, e.firm_key, e.fdid);
          return Status::OK();
        });
        if (!s.ok()) return s;
      }
      return Status::OK();
    }).ok());
  }
  return out;
}

}  // namespace caisson::testing
