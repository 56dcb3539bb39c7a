// Recording a written submission, finishing one a killed run left, and acceptance (delta.h).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "caisjson/caisjson.h"
#include "delta/delta.h"

namespace caisson::delta {

namespace {

namespace fs = std::filesystem;

state::RecordState Emitted(const Known& known, std::string key, const Fingerprint& fp, int64_t submission) {
  state::RecordState rs = known.state;
  rs.key = std::move(key);
  rs.emitted = fp;
  rs.emitted_submission = submission;
  return rs;
}

state::Validity ValidityOf(const model::Fdid& f) {
  state::Validity v;
  for (const model::Association& a : f.fdid_customer_list) {
    if (!a.role_start_date.has_value()) continue;
    const auto start = static_cast<int32_t>(a.role_start_date.value);
    if (v.from == 0 || start < v.from) v.from = start;
  }
  v.until = f.fdid_end_date.has_value() ? static_cast<int32_t>(f.fdid_end_date.value) : 0;
  if (f.account_type) {
    for (const std::string& t : *f.account_type) {
      if (t == "MARKET") v.facts |= state::kValidityMarket;
    }
  }
  return v;
}

Status MapFile(const model::Books& books, const SentFile& f, state::Txn& txn) {
  const std::string& base = f.entry.base_name;
  std::vector<std::string_view> ltids, traders;
  for (size_t p = 0; p < f.fdids.size(); ++p) {
    const model::Fdid& fdid = books.fdids[static_cast<size_t>(f.fdids[p])];
    ltids.clear();
    traders.clear();
    for (const model::LargeTrader& lt : fdid.large_trader_list) {
      ltids.push_back(lt.large_trader_id ? std::string_view(*lt.large_trader_id) : std::string_view());
    }
    for (const model::AuthTraderName& n : fdid.auth_trader_names_list) {
      traders.push_back(n.auth_trader_name ? std::string_view(*n.auth_trader_name) : std::string_view());
    }
    const std::string_view key = fdid.firm_designated_id ? std::string_view(*fdid.firm_designated_id) : "";
    CAISSON_RETURN_IF_ERROR(MapFdid(txn, base, p + 1, key, ltids, traders));
  }
  for (size_t p = 0; p < f.customers.size(); ++p) {
    const model::Customer& c = books.customers[static_cast<size_t>(f.customers[p])];
    CAISSON_RETURN_IF_ERROR(MapCustomer(txn, base, p + 1, c.key));
  }
  return MapDeletions(txn, f);
}

// A write of at least a quarter of the records (a first build, its acceptance) goes straight into the store's
// main tables (state::Store::WriteMode::kInPlace); a day's few go to the recent ones.
Result<state::Store::WriteMode> ModeFor(int64_t rows, const state::Store& store) {
  Result<state::Store::Layers> layers = store.CountLayers();
  if (!layers.ok()) return layers.status();
  return rows * 4 >= layers->main ? state::Store::WriteMode::kInPlace : state::Store::WriteMode::kLayered;
}

}  // namespace

Status MapFdid(state::Txn& txn, const std::string& base, size_t record_id, std::string_view key,
               const std::vector<std::string_view>& ltids, const std::vector<std::string_view>& traders) {
  const std::string rid = std::to_string(record_id);
  CAISSON_RETURN_IF_ERROR(txn.AddRecordId(base, {state::RecordKind::kFdid, rid, std::string(key), ""}));
  for (size_t k = 0; k < ltids.size(); ++k) {
    CAISSON_RETURN_IF_ERROR(txn.AddRecordId(base, {state::RecordKind::kLargeTrader, fmt::format("{}/{}", rid, k + 1),
                                                   std::string(ltids[k]), std::string(key)}));
  }
  for (size_t k = 0; k < traders.size(); ++k) {
    CAISSON_RETURN_IF_ERROR(txn.AddRecordId(base, {state::RecordKind::kAuthTrader, fmt::format("{}/{}", rid, k + 1),
                                                   std::string(traders[k]), std::string(key)}));
  }
  return Status::OK();
}

Status MapCustomer(state::Txn& txn, const std::string& base, size_t record_id, std::string_view key) {
  return txn.AddRecordId(base, {state::RecordKind::kCustomer, std::to_string(record_id), std::string(key), ""});
}

Status MapDeletions(state::Txn& txn, const SentFile& f) {
  // A DELETE clears its rejection once CAIS accepts the file [§6.6.2.1]: Accept reads them back from here.
  for (int64_t id : f.deleted_rejections) {
    CAISSON_RETURN_IF_ERROR(
        txn.AddRecordId(f.entry.base_name, {state::RecordKind::kDeletion, std::to_string(id), "", ""}));
  }
  return Status::OK();
}

state::RecordState SentFdidState(const model::Fdid& f, const Known& known, const Fingerprint& fp, uint64_t scan) {
  state::RecordState rs = Emitted(known, f.firm_designated_id ? std::string(*f.firm_designated_id) : std::string(),
                                  fp, 0);
  rs.correspondent_crd = f.correspondent_crd.has_value() ? f.correspondent_crd.value : 0;
  rs.flags = f.fdid_end_date.has_value() ? (rs.flags | kFlagEnded) : (rs.flags & ~kFlagEnded);
  rs.flags = f.last_activity_date.has_value() ? (rs.flags & ~kFlagNoActivity) : (rs.flags | kFlagNoActivity);
  const bool inactive = f.fdid_end_date.has_value() && f.fdid_end_reason && *f.fdid_end_reason == "INACTIVE";
  rs.inactive_since = inactive ? static_cast<int32_t>(f.fdid_end_date.value) : 0;
  rs.emitted_validity = ValidityOf(f);
  rs.scan = scan;
  return rs;
}

state::RecordState SentCustomerState(const model::Customer& c, const Known& known, const Fingerprint& fp,
                                     uint64_t scan) {
  state::RecordState rs = Emitted(known, c.key, fp, 0);
  if (c.tid) rs.tid = TidFingerprint(*c.tid);
  rs.emitted_mi_facts = MiFacts(c);
  rs.scan = scan;
  rs.flags = c.update_notification.is_true() ? (rs.flags | kFlagUpdateNotification)
                                             : (rs.flags & ~kFlagUpdateNotification);
  return rs;
}

Status Record(const model::Books& books, const Plan& plan, const std::vector<Fingerprint>& fdid_fp,
              const std::vector<Fingerprint>& customer_fp, std::vector<SentFile> files,
              const std::map<std::string, audit::Value>& facts, state::Submission* submission,
              state::Store* store, const CompleteFiles& complete) {
  RecordRows rows;
  rows.rows = std::count(plan.customer.begin(), plan.customer.end(), true);
  for (size_t i = 0; i < books.fdids.size(); ++i) rows.rows += plan.fdid[i] != Reason::kNotSent ? 1 : 0;
  rows.put_states = [&](state::Txn& txn, int64_t submission_id) -> Status {
    for (size_t i = 0; i < books.fdids.size(); ++i) {
      if (plan.fdid[i] == Reason::kNotSent) continue;
      state::RecordState rs = SentFdidState(books.fdids[i], plan.fdid_known[i], fdid_fp[i],
                                            i < plan.fdid_scan.size() ? plan.fdid_scan[i] : 0);
      rs.emitted_submission = submission_id;
      CAISSON_RETURN_IF_ERROR(txn.PutFdid(rs));
    }
    // Previous versions AddPriorVersions appended are not state of their own.
    for (size_t c = 0; c < plan.customer.size(); ++c) {
      if (!plan.customer[c]) continue;
      state::RecordState rs = SentCustomerState(books.customers[c], plan.customer_known[c], customer_fp[c],
                                                c < plan.customer_scan.size() ? plan.customer_scan[c] : 0);
      rs.emitted_submission = submission_id;
      CAISSON_RETURN_IF_ERROR(txn.PutCustomer(rs));
    }
    return Status::OK();
  };
  rows.map_file = [&](state::Txn& txn, const SentFile& f) { return MapFile(books, f, txn); };
  return Record(rows, plan, std::move(files), facts, submission, store, complete);
}

Status Record(const RecordRows& rows, const Plan& counts, std::vector<SentFile> files,
              const std::map<std::string, audit::Value>& facts, state::Submission* submission,
              state::Store* store, const CompleteFiles& complete) {
  Result<state::Store::WriteMode> mode = ModeFor(rows.rows, *store);
  if (!mode.ok()) return mode.status();
  const Plan& plan = counts;
  return store->Write([&](state::Txn& txn) -> Status {
    submission->status = "pending";
    CAISSON_RETURN_IF_ERROR(txn.AddSubmission(submission));
    for (const SentFile& f : files) {
      state::FileEntry e = f.entry;
      e.submission_id = submission->id;
      e.status = "pending";
      CAISSON_RETURN_IF_ERROR(txn.AddFile(e));
      if (e.kind == "CAIS") CAISSON_RETURN_IF_ERROR(rows.map_file(txn, f));
    }
    CAISSON_RETURN_IF_ERROR(rows.put_states(txn, submission->id));
    if (complete) {
      CAISSON_RETURN_IF_ERROR(complete(&files));
      for (const SentFile& f : files) {
        CAISSON_RETURN_IF_ERROR(txn.SetFileContent(f.entry.base_name, f.entry.compressed_bytes,
                                                   f.entry.uncompressed_bytes, f.entry.sha256));
      }
    }
    audit::Event event;
    event.kind = "build";
    event.payload = facts;
    event.payload["submission"] = submission->id;
    event.payload["build"] = submission->kind;
    event.payload["file_date"] = int64_t{submission->file_date};
    event.payload["out_dir"] = submission->out_dir;
    event.payload["fdids_sent"] = submission->fdids;
    event.payload["customers_sent"] = submission->customers;
    event.payload["tids_sent"] = submission->tids;
    event.payload["fdids_new"] = plan.new_fdids;
    event.payload["fdids_changed"] = plan.changed_fdids;
    event.payload["fdids_carrying_customers"] = plan.carrier_fdids;
    event.payload["fdids_replacing"] = plan.replacing_fdids;
    event.payload["fdids_full"] = plan.full_fdids;
    event.payload["fdids_unchanged"] = plan.unchanged_fdids;
    std::string names;
    for (const SentFile& f : files) {
      if (!names.empty()) names += ' ';
      names += f.entry.base_name + ".json.bz2:" + f.entry.sha256;
    }
    event.payload["files"] = names;
    return audit::Append(txn, event);
  }, *mode);
}

RememberedDigests DigestsToRemember(const model::Books& books, const Plan& plan, const validate::Holds& holds,
                                    const std::vector<Fingerprint>& fdid_fp,
                                    const std::vector<Fingerprint>& customer_fp) {
  RememberedDigests out;
  auto held = [](const std::vector<bool>& v, size_t i) { return i < v.size() && v[i]; };
  // The record's state with `digest` as its books digest, when that differs from the one stored.
  auto keep = [](const Known& k, uint64_t digest, std::vector<state::RecordState>* rows) {
    if (k.state.scan == digest) return;
    rows->push_back(k.state);
    rows->back().scan = digest;
  };
  for (size_t i = 0; i < books.fdids.size() && i < plan.fdid_scan.size(); ++i) {
    const Known& k = plan.fdid_known[i];
    if (!k.in_store) continue;
    // Held back by a finding that may hang on the date or on other records alone: no digest, so the fast
    // delta reads it (and finds it again) until it is sent.
    if (held(holds.fdid, i)) {
      keep(k, 0, &out.fdids);
    } else if (plan.fdid[i] == Reason::kNotSent && plan.fdid_scan[i] != 0 && k.state.emitted == fdid_fp[i]) {
      keep(k, plan.fdid_scan[i], &out.fdids);
    }
  }
  for (size_t c = 0; c < plan.books_customers && c < plan.customer_scan.size(); ++c) {
    const Known& k = plan.customer_known[c];
    if (!k.in_store) continue;
    const bool stranded = c < plan.customer_stranded.size() && plan.customer_stranded[c];
    if (held(holds.customer, c)) {
      keep(k, 0, &out.customers);
    } else if (!plan.customer[c] && plan.customer_scan[c] != 0 && (k.state.emitted == customer_fp[c] || stranded)) {
      keep(k, plan.customer_scan[c], &out.customers);
    }
  }
  return out;
}

Result<int64_t> WriteDigests(const RememberedDigests& rows, state::Store* store) {
  CAISSON_RETURN_IF_ERROR(store->Write([&](state::Txn& txn) -> Status {
    for (const state::RecordState& rs : rows.fdids) CAISSON_RETURN_IF_ERROR(txn.PutFdid(rs));
    for (const state::RecordState& rs : rows.customers) CAISSON_RETURN_IF_ERROR(txn.PutCustomer(rs));
    return Status::OK();
  }));
  return static_cast<int64_t>(rows.fdids.size() + rows.customers.size());
}

Result<int64_t> RememberDigests(const model::Books& books, const Plan& plan, const validate::Holds& holds,
                                const std::vector<Fingerprint>& fdid_fp, const std::vector<Fingerprint>& customer_fp,
                                state::Store* store) {
  return WriteDigests(DigestsToRemember(books, plan, holds, fdid_fp, customer_fp), store);
}

Status MarkWritten(int64_t submission_id, state::Store* store) {
  return store->Write([&](state::Txn& txn) -> Status {
    CAISSON_RETURN_IF_ERROR(store->ForEachFileOf(submission_id, [&](const state::FileEntry& f) {
      return f.status == "pending" ? txn.SetFileStatus(f.base_name, "written") : Status::OK();
    }));
    return txn.SetSubmissionStatus(submission_id, "written");
  });
}

Status Recover(state::Store* store, int64_t* recovered) {
  *recovered = 0;
  Result<int64_t> last = store->LastSubmissionId();
  if (!last.ok()) return last.status();
  // Only the last submission can be unfinished: a run finishes (or recovers) the previous one before it starts.
  if (*last == 0) return Status::OK();
  Result<state::Submission> sub = store->GetSubmission(*last);
  if (!sub.ok()) return sub.status();
  if (sub->status != "pending") return Status::OK();
  const fs::path dir = sub->out_dir;
  CAISSON_RETURN_IF_ERROR(store->ForEachFileOf(sub->id, [&](const state::FileEntry& f) -> Status {
    const std::string name = f.base_name + ".json.bz2";
    std::error_code ec;
    if (fs::exists(dir / name, ec)) return Status::OK();
    // The temporary file of the run that recorded it: complete (fsynced before the record), same SHA-256.
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string candidate = e.path().filename().string();
      if (!candidate.starts_with(name + ".tmp-")) continue;
      Result<std::string> sha = caisjson::Sha256OfFile(e.path());
      if (!sha.ok() || *sha != f.sha256) continue;
      fs::rename(e.path(), dir / name, ec);
      if (ec) return Status::IOError((dir / name).string(), fmt::format("cannot rename: {}", ec.message()));
      ++*recovered;
      return Status::OK();
    }
    return Status::Corruption((dir / name).string(),
                              fmt::format("submission {} was recorded but this file is gone; restore it or ask "
                                          "for help before building again",
                                          sub->id));
  }));
  return MarkWritten(sub->id, store);
}

Result<Accepted> Accept(const spec::Profile& profile, const Acceptance& acceptance, state::Store* store) {
  const std::string where = fmt::format("submission {}", acceptance.submission_id);
  Result<state::Submission> sub = store->GetSubmission(acceptance.submission_id);
  if (!sub.ok()) return Status::InvalidArgument(where, "no such submission in the state store");
  if (sub->status == "pending") return Status::InvalidArgument(where, "its files were never completed");
  const bool per_file = !acceptance.base_name.empty();
  if (!per_file && sub->status.rfind("accepted", 0) == 0) return Status::InvalidArgument(where, "already accepted");
  // Per Data File (feedback): only the records that file carried.
  absl::flat_hash_set<std::string> file_fdids, file_customers;
  if (per_file) {
    auto collect = [&](absl::flat_hash_set<std::string>* keys) {
      return [keys](const state::RecordMapEntry& e) {
        keys->insert(e.firm_key);
        return Status::OK();
      };
    };
    CAISSON_RETURN_IF_ERROR(store->ForEachRecordId(acceptance.base_name, state::RecordKind::kFdid, collect(&file_fdids)));
    CAISSON_RETURN_IF_ERROR(
        store->ForEachRecordId(acceptance.base_name, state::RecordKind::kCustomer, collect(&file_customers)));
  }

  absl::flat_hash_set<std::string> rejected_fdids(acceptance.rejected_fdids.begin(), acceptance.rejected_fdids.end());
  const absl::flat_hash_set<std::string> rejected_customers(acceptance.rejected_customers.begin(),
                                                            acceptance.rejected_customers.end());
  // [§6.3] a rejected customer rejects the FDIDs it is associated with in the file.
  if (!rejected_customers.empty()) {
    std::vector<state::FileEntry> data_files;
    CAISSON_RETURN_IF_ERROR(store->ForEachFileOf(sub->id, [&](const state::FileEntry& f) {
      if (f.kind == "CAIS" && (!per_file || f.base_name == acceptance.base_name)) data_files.push_back(f);
      return Status::OK();
    }));
    for (const state::FileEntry& f : data_files) {
      const fs::path path = fs::path(sub->out_dir) / (f.base_name + ".json.bz2");
      // The rejected customers' customerRecordIDs in this file, from the store's map of its IDs.
      absl::flat_hash_set<int64_t> rejected_ids;
      CAISSON_RETURN_IF_ERROR(store->ForEachRecordId(
          f.base_name, state::RecordKind::kCustomer, [&](const state::RecordMapEntry& e) -> Status {
            int64_t id = 0;
            const auto [end, ec] = std::from_chars(e.record_id.data(), e.record_id.data() + e.record_id.size(), id);
            if (ec == std::errc() && rejected_customers.contains(e.firm_key)) rejected_ids.insert(id);
            return Status::OK();
          }));
      if (rejected_ids.empty()) continue;
      // Then the FDIDs naming them, a group of records at a time (an FDID shares one with its customers): a
      // Data File of 1 GB read whole would need several GB.
      Result<std::unique_ptr<caisjson::MappedText>> text = caisjson::MapMaybeBz2(path);
      if (!text.ok()) return text.status();
      const caisjson::MappedText& mapped = **text;
      std::vector<Finding> ignored;
      caisjson::PairReader reader;
      caisjson::PairReader::File data{mapped.text(), path.filename().string(), 0, &ignored,
                                      [&mapped] { mapped.Release(); }};
      CAISSON_RETURN_IF_ERROR(reader.Open(profile, &data, nullptr));
      std::vector<uint32_t> groups;
      size_t records = 0;
      auto read_groups = [&] {
        model::Books file;
        reader.StartBooks(&file);
        reader.Read(groups, &file, &ignored);
        ignored.clear();
        groups.clear();
        records = 0;
        mapped.Release();
        for (const model::Fdid& fd : file.fdids) {
          for (const model::Association& a : fd.fdid_customer_list) {
            if (a.customer_record_id.has_value() && rejected_ids.contains(a.customer_record_id.value) &&
                fd.firm_designated_id) {
              rejected_fdids.insert(std::string(*fd.firm_designated_id));
            }
          }
        }
      };
      for (uint32_t g = 0; g < reader.group_count(); ++g) {
        groups.push_back(g);
        records += reader.group_size(g);
        if (records >= 65536) read_groups();
      }
      if (!groups.empty()) read_groups();
    }
  }

  Accepted out;
  std::vector<state::RecordState> fdids, customers;
  absl::flat_hash_set<std::string> seen_fdids, seen_customers;
  auto take = [&](std::vector<state::RecordState>* rows, absl::flat_hash_set<std::string>* seen,
                  const absl::flat_hash_set<std::string>* in_file) {
    return [&, rows, seen, in_file](const state::RecordState& r) {
      if (r.emitted_submission == sub->id && (!per_file || in_file->contains(r.key))) {
        rows->push_back(r);
        seen->insert(r.key);
      }
      return Status::OK();
    };
  };
  CAISSON_RETURN_IF_ERROR(store->ForEachFdid(take(&fdids, &seen_fdids, &file_fdids)));
  CAISSON_RETURN_IF_ERROR(store->ForEachCustomer(take(&customers, &seen_customers, &file_customers)));
  // A person naming a record the submission did not send made a mistake; feedback may name records a later
  // submission has superseded since, which simply stay as they are.
  for (const std::string& k : per_file ? std::vector<std::string>{} : acceptance.rejected_fdids) {
    if (!seen_fdids.contains(k)) return Status::InvalidArgument(where, fmt::format("did not send FDID {}", k));
  }
  for (const std::string& k : per_file ? std::vector<std::string>{} : acceptance.rejected_customers) {
    if (!seen_customers.contains(k)) return Status::InvalidArgument(where, "did not send one of the rejected customers");
  }

  // The DELETEs of the accepted Data Files clear their rejections [§6.6.2.1].
  std::vector<int64_t> deleted;
  if (!acceptance.reject_all) {
    std::vector<std::string> bases;
    CAISSON_RETURN_IF_ERROR(store->ForEachFileOf(sub->id, [&](const state::FileEntry& f) {
      if (f.kind == "CAIS" && (!per_file || f.base_name == acceptance.base_name)) bases.push_back(f.base_name);
      return Status::OK();
    }));
    for (const std::string& base : bases) {
      CAISSON_RETURN_IF_ERROR(
          store->ForEachRecordId(base, state::RecordKind::kDeletion, [&](const state::RecordMapEntry& e) {
            deleted.push_back(std::stoll(e.record_id));
            return Status::OK();
          }));
    }
  }

  auto settle = [&](state::RecordState* r, bool rejected) {
    if (rejected) {
      r->scan = 0;  // the books digest described the state CAIS refused: the fast delta reads it again
      r->emitted = r->accepted;  // the next delta compares with what CAIS holds, and resends
      r->emitted_validity = r->accepted_validity;
      r->emitted_mi_facts = r->accepted_mi_facts;
      return;
    }
    r->accepted = r->emitted;
    r->accepted_validity = r->emitted_validity;
    r->flags &= ~kFlagRefreshListed;  // refreshed [§3.8]
    r->accepted_mi_facts = r->emitted_mi_facts;
    if (r->first_accepted == 0) r->first_accepted = acceptance.date;
    r->last_accepted = acceptance.date;
  };
  Result<state::Store::WriteMode> mode = ModeFor(static_cast<int64_t>(fdids.size() + customers.size()), *store);
  if (!mode.ok()) return mode.status();
  CAISSON_RETURN_IF_ERROR(store->Write([&](state::Txn& txn) -> Status {
    for (state::RecordState& r : fdids) {
      const bool rejected = acceptance.reject_all || rejected_fdids.contains(r.key);
      settle(&r, rejected);
      ++(rejected ? out.rejected_fdids : out.fdids);
      CAISSON_RETURN_IF_ERROR(txn.PutFdid(r));
      if (!rejected) CAISSON_RETURN_IF_ERROR(txn.CloseRepairItems(state::RecordKind::kFdid, r.key, acceptance.date));
    }
    for (state::RecordState& r : customers) {
      const bool rejected = acceptance.reject_all || rejected_customers.contains(r.key);
      settle(&r, rejected);
      ++(rejected ? out.rejected_customers : out.customers);
      CAISSON_RETURN_IF_ERROR(txn.PutCustomer(r));
      if (!rejected) {
        CAISSON_RETURN_IF_ERROR(txn.CloseRepairItems(state::RecordKind::kCustomer, r.key, acceptance.date));
        if ((r.flags & kFlagUpdateNotification) != 0) {
          CAISSON_RETURN_IF_ERROR(txn.CloseInconsistencies(r.key, acceptance.date));
        }
      }
    }
    for (const state::RepairItem& item : acceptance.repairs) CAISSON_RETURN_IF_ERROR(txn.AddRepairItem(item));
    for (int64_t id : deleted) CAISSON_RETURN_IF_ERROR(txn.CloseRepairItemsOf(id, acceptance.date));
    if (!per_file) {
      CAISSON_RETURN_IF_ERROR(store->ForEachFileOf(sub->id, [&](const state::FileEntry& f) {
        return txn.SetFileStatus(f.base_name, "accepted");
      }));
      CAISSON_RETURN_IF_ERROR(txn.SetSubmissionStatus(
          sub->id, out.rejected_fdids + out.rejected_customers > 0 ? "accepted with rejections" : "accepted"));
    }
    for (const auto& [file, status] : acceptance.file_statuses) {
      CAISSON_RETURN_IF_ERROR(txn.SetFileStatus(file, status));
    }
    audit::Event event;
    event.kind = "accept";
    event.payload["submission"] = sub->id;
    if (per_file) event.payload["file"] = acceptance.base_name;
    if (!acceptance.source.empty()) event.payload["source"] = acceptance.source;
    event.payload["date"] = int64_t{acceptance.date};
    event.payload["fdids_accepted"] = out.fdids;
    event.payload["customers_accepted"] = out.customers;
    event.payload["fdids_rejected"] = out.rejected_fdids;
    event.payload["customers_rejected"] = out.rejected_customers;
    return audit::Append(txn, event);
  }, *mode));
  Result<int64_t> folded = store->Compact(kFoldFraction);
  if (folded.ok()) out.folded = *folded;
  else out.fold = folded.status();
  return out;
}

}  // namespace caisson::delta
