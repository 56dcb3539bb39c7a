// Judge: what CAIS decides about one Data File / TID File pair.
//  1. File integrity [§6.2]: `check`'s file.* findings, a name answered before (21001/21501 [§6.2 r1]), and
//  the
//     partner of a failed file failing with it (21014/21514 [§6.2 r11]).
//  2. Data validation [§6.3]: `check`'s record findings (every rule a CAIS file can be checked with, cascades
//     included), then against the store: 23004 [App B Table 29], 22054's registry part [App B Table 28], and
//     the cascades of those [§6.3 r2].
//  3. The correctionList [§6.6.2.1; App B Table 30] and repairs by resubmission [§6.6.2.2].
//  4. What the accepted records change for the Material Inconsistency checks (daily.cc) and the FDID Refresh
//     Report [§3.8].
#include "sim/judge.h"

#include <fmt/format.h>
#include <openssl/sha.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "check/check.h"
#include "model/model.h"

namespace caisson::sim::internal {

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The leading `<submitter>_<crd>_` of a submission name [§5.1.1]; -1 where it is not a number.
std::pair<int64_t, int64_t> IdsFromName(const std::string& name) {
  int64_t v[2] = {-1, -1};
  size_t start = 0;
  for (int64_t& x : v) {
    size_t us = name.find('_', start);
    if (us == std::string::npos) break;
    const std::string part = name.substr(start, us - start);
    if (part.size() < 18 && AllDigits(part)) x = std::stoll(part);
    start = us + 1;
  }
  return {v[0], v[1]};
}

std::string Sha256Hex(const std::string& text) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), md);
  std::string hex;
  for (unsigned char b : md) hex += fmt::format("{:02x}", b);
  return hex;
}

std::string_view Or(const model::Text& t) { return t ? *t : std::string_view(); }

// SHA-256 hex of tidType and tidValue: the store's stand-in for the CCID [§2.3.1]; never the value itself.
std::string TidKey(const model::Customer& c) {
  if (!c.tid.has_value() || !c.tid->tid_value) return "";
  return Sha256Hex(std::string(Or(c.tid->tid_type)) + "|" + std::string(*c.tid->tid_value));
}

// What names one customer to the Material Inconsistency checks, fingerprinted: tidType, foreignTIDType,
// foreignTIDCountryCd and tidValue [§6.4.1].
std::string MiIdentity(const model::Customer& c) {
  if (!c.tid.has_value() || !c.tid->tid_value) return "";
  return Sha256Hex(fmt::format("{}|{}|{}|{}", Or(c.tid->tid_type), Or(c.tid->foreign_tid_type),
                               Or(c.tid->foreign_tid_country_cd), *c.tid->tid_value));
}

int64_t CodeOf(const std::string& code) {
  if (code.size() > 9 || !AllDigits(code)) return 0;
  return std::stoll(code);
}

// A TID-record problem comes as the Customer's code with the TID warning first in the message: "[24906] ...".
int64_t TidWarningOf(const std::string& message) {
  if (message.size() < 7 || message[0] != '[' || message[6] != ']') return 0;
  return CodeOf(message.substr(1, 5));
}

struct Correction {
  int64_t rejection_id = -1;
  std::string action;
  std::string fdid;
  int64_t crid = -1;
};

std::vector<Correction> ReadCorrections(std::string_view text) {
  std::vector<Correction> out;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(text);
  simdjson::dom::element root;
  simdjson::dom::array list;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return out;
  if (root["correctionList"].get_array().get(list) != simdjson::SUCCESS) return out;
  for (simdjson::dom::element e : list) {
    Correction c;
    int64_t i = 0;
    uint64_t u = 0;
    std::string_view s;
    if (e["rejectionID"].get_uint64().get(u) == simdjson::SUCCESS) c.rejection_id = static_cast<int64_t>(u);
    if (e["correctionAction"].get_string().get(s) == simdjson::SUCCESS) c.action = std::string(s);
    if (e["correctingFirmDesignatedID"].get_string().get(s) == simdjson::SUCCESS) c.fdid = std::string(s);
    if (e["correctingCustomerRecordID"].get_int64().get(i) == simdjson::SUCCESS) c.crid = i;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<Judged> Judge(const spec::Profile& profile, const JudgeOptions& options, Pair* pair, Db* db) {
  Judged j;
  std::vector<std::filesystem::path> paths;
  for (auto [u, f] : {std::pair{&pair->data, &j.data}, std::pair{&pair->tid, &j.tid}}) {
    if (u->name.empty()) continue;
    f->name = u->name;
    f->times_answered = u->times_answered;
    Result<int64_t> id = db->Next("submission");
    if (!id.ok()) return id.status();
    f->submission_id = *id;
    paths.push_back(u->path);
  }
  std::tie(j.submitter, j.crd) = IdsFromName(j.data.name.empty() ? j.tid.name : j.data.name);
  if (options.cat_submitter_id >= 0) j.submitter = options.cat_submitter_id;

  check::Options copts;
  copts.as_of = options.as_of;
  copts.today = options.as_of;
  copts.cat_submitter_id = options.cat_submitter_id;
  check::Report report;
  CAISSON_RETURN_IF_ERROR(check::CheckPaths(profile, paths, copts, &report));

  // 1. File integrity.
  std::map<std::string, std::set<int64_t>> integrity;  // file name -> codes
  for (const Finding& f : report.findings) {
    if (f.record != RecordKind::kFile || !f.rule.starts_with("file.") || f.severity != Severity::kReject)
      continue;
    if (int64_t code = CodeOf(f.cais_code); code != 0) integrity[f.file].insert(code);
  }
  if (pair->data.duplicate) integrity[j.data.name].insert(21001);
  if (pair->tid.duplicate) integrity[j.tid.name].insert(21501);
  // A file's own failures: the "paired file failed" codes check gave it are recomputed here.
  auto own = [&](const std::string& name, int64_t partner_code) {
    if (name.empty()) return false;
    std::set<int64_t>& codes = integrity[name];
    if (!j.data.name.empty() && !j.tid.name.empty()) codes.erase(partner_code);
    return !codes.empty();
  };
  const bool data_failed = own(j.data.name, 21014);
  const bool tid_failed = own(j.tid.name, 21514);
  if (data_failed && !j.tid.name.empty()) integrity[j.tid.name].insert(21514);
  if (tid_failed && !j.data.name.empty()) integrity[j.data.name].insert(21014);
  if (data_failed || tid_failed || j.data.name.empty() || j.tid.name.empty()) {
    Result<int64_t> id = db->Next("rejection");
    if (!id.ok()) return id.status();
    for (Judged::File* f : {&j.data, &j.tid}) {
      if (f->name.empty()) continue;
      f->integrity_error = true;
      for (int64_t code : integrity[f->name]) {
        Item item;
        item.code = code;
        item.timestamp = options.integrity_timestamp;
        // Table 21: a TID File's rejectionID and customerRecordID are null on an integrity error.
        item.rejection_id = f == &j.data ? *id : -1;
        item.customer_record_id_null = f == &j.tid;
        f->items.push_back(item);
      }
      const Upload& u = f == &j.data ? pair->data : pair->tid;
      CAISSON_RETURN_IF_ERROR(db->AddAnswered(f->name, u.sha, f->submission_id, true));
    }
    return j;
  }

  // 2. Data validation: the pair read as check read it, so record indexes agree.
  model::Books books;
  std::vector<Finding> ignored;
  Result<std::string> data_text = caisjson::ReadMaybeBz2(pair->data.path);
  if (!data_text.ok()) return data_text.status();
  CAISSON_RETURN_IF_ERROR(caisjson::ReadDataFile(profile, *data_text, j.data.name, 0, &books, &ignored));
  {
    Result<std::string> tid_text = caisjson::ReadMaybeBz2(pair->tid.path);
    if (!tid_text.ok()) return tid_text.status();
    CAISSON_RETURN_IF_ERROR(
        caisjson::ReadTidFile(profile, *tid_text, j.tid.name, 1, &books, &ignored, &j.tids));
  }
  if (books.cat_submitter_id.has_value() && options.cat_submitter_id < 0)
    j.submitter = books.cat_submitter_id.value;
  if (books.cat_reporter_crd.has_value()) j.crd = books.cat_reporter_crd.value;
  if (books.correspondent_crd.has_value()) j.corr = books.correspondent_crd.value;
  const size_t nf = books.fdids.size(), nc = books.customers.size();
  std::map<std::string, size_t> fdid_by_name;
  std::map<int64_t, size_t> customer_by_crid;
  for (size_t i = 0; i < nf; ++i) {
    if (books.fdids[i].firm_designated_id)
      fdid_by_name.emplace(std::string(*books.fdids[i].firm_designated_id), i);
  }
  for (size_t c = 0; c < nc; ++c) {
    if (books.customers[c].customer_record_id.has_value()) {
      customer_by_crid.emplace(books.customers[c].customer_record_id.value, c);
    }
  }
  std::vector<std::vector<size_t>> customers_of(nf), fdids_of(nc);
  for (size_t i = 0; i < nf; ++i) {
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (!a.customer_record_id.has_value()) continue;
      auto it = customer_by_crid.find(a.customer_record_id.value);
      if (it == customer_by_crid.end()) continue;
      customers_of[i].push_back(it->second);
      fdids_of[it->second].push_back(i);
    }
  }
  std::vector<std::set<int64_t>> fdid_codes(nf), customer_codes(nc), tid_warnings(nc);
  for (const Finding& f : report.findings) {
    if (f.record == RecordKind::kFile || f.severity != Severity::kReject) continue;
    const int64_t code = CodeOf(f.cais_code);
    if (code == 0) continue;  // a rule the spec gives no code: CAIS's answer unknown, not simulated
    if (f.record == RecordKind::kFdid) {
      int64_t i = f.record_index;
      if (i < 0 || static_cast<size_t>(i) >= nf) {
        auto it = fdid_by_name.find(f.key);
        if (it == fdid_by_name.end()) continue;
        i = static_cast<int64_t>(it->second);
      }
      fdid_codes[i].insert(code);
      continue;
    }
    int64_t c = f.record_index;
    if (c < 0 || static_cast<size_t>(c) >= nc) {
      auto it = f.key.starts_with("crid:") ? customer_by_crid.find(CodeOf(f.key.substr(5)))
                                           : customer_by_crid.end();
      if (it == customer_by_crid.end()) continue;
      c = static_cast<int64_t>(it->second);
    }
    customer_codes[c].insert(code);
    if (int64_t w = TidWarningOf(f.message); w != 0) tid_warnings[c].insert(w);
  }

  // What only the store can judge, and its cascades, to a fixed point.
  std::set<int64_t> known(options.known_reporter_crds.begin(), options.known_reporter_crds.end());
  for (size_t i = 0; i < nf; ++i) {
    const model::Fdid& f = books.fdids[i];
    if (known.empty() || !fdid_codes[i].empty() || !f.prior_cat_reporter_crd.has_value()) continue;
    const int64_t prior = f.prior_cat_reporter_crd.value;
    Result<bool> seen = db->KnownCrd(prior);
    if (!seen.ok()) return seen.status();
    if (!known.contains(prior) && !*seen && prior != j.crd) fdid_codes[i].insert(22054);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < nf; ++i) {
      const model::Fdid& f = books.fdids[i];
      if (!fdid_codes[i].empty() || f.fdid_end_reason != "REPLACED" || !f.replaced_by_fdid) continue;
      auto it = fdid_by_name.find(std::string(*f.replaced_by_fdid));
      if (it != fdid_by_name.end() && fdid_codes[it->second].empty()) continue;
      Result<bool> accepted = db->FdidAccepted(j.crd, *f.replaced_by_fdid);
      if (!accepted.ok()) return accepted.status();
      if (*accepted) continue;
      fdid_codes[i].insert(23004);
      changed = true;
    }
    for (size_t i = 0; i < nf; ++i) {
      if (fdid_codes[i].empty()) continue;
      for (size_t c : customers_of[i]) {
        if (customer_codes[c].empty()) {
          customer_codes[c].insert(22523);
          changed = true;
        }
      }
    }
    for (size_t c = 0; c < nc; ++c) {
      if (customer_codes[c].empty()) continue;
      for (size_t i : fdids_of[c]) {
        if (fdid_codes[i].empty()) {
          fdid_codes[i].insert(22048);
          changed = true;
        }
      }
    }
  }

  // 3. Repairs. The correctionList first [§6.6.2.1], then resubmission of the record [§6.6.2.2].
  std::map<int64_t, std::vector<Rejection>> open_by_id;
  std::map<int64_t, bool> ever;  // rejectionIDs of this CRD, any status
  CAISSON_RETURN_IF_ERROR(db->ForEachRejection(false, [&](const Rejection& r) {
    if (r.crd != j.crd) return Status::OK();
    ever[r.id] = true;
    if (r.status == "open") open_by_id[r.id].push_back(r);
    return Status::OK();
  }));
  std::set<int64_t> closed;
  for (const Correction& c : ReadCorrections(*data_text)) {
    ++j.corrections;
    auto fail = [&](int64_t warning) { j.failed_corrections.emplace_back(c.rejection_id, warning); };
    if (c.action != "CORRECTION" && c.action != "DELETE") {
      fail(24002);
      continue;
    }
    auto it = open_by_id.find(c.rejection_id);
    if (it == open_by_id.end() || closed.contains(c.rejection_id)) {
      fail(ever.contains(c.rejection_id) ? 24009 : 24001);
      continue;
    }
    if (c.action == "DELETE") {
      bool allowed = std::all_of(it->second.begin(), it->second.end(),
                                 [](const Rejection& r) { return r.code >= 22001 && r.code <= 23999; });
      if (!allowed) {
        fail(24005);
        continue;
      }
      CAISSON_RETURN_IF_ERROR(db->SetRejectionStatus(c.rejection_id, "deleted"));
      closed.insert(c.rejection_id);
      continue;
    }
    if (!std::all_of(it->second.begin(), it->second.end(),
                     [](const Rejection& r) { return CorrectionListOnly(r.code); })) {
      fail(24005);
      continue;
    }
    bool repaired = false;
    if (!c.fdid.empty()) {
      auto f = fdid_by_name.find(c.fdid);
      if (f != fdid_by_name.end()) {
        repaired = fdid_codes[f->second].empty();
      } else {
        Result<bool> accepted = db->FdidAccepted(j.crd, c.fdid);
        if (!accepted.ok()) return accepted.status();
        if (!*accepted) {
          fail(24003);
          continue;
        }
        repaired = true;
      }
    } else {
      auto cu = customer_by_crid.find(c.crid);
      if (cu == customer_by_crid.end()) {
        fail(24007);
        continue;
      }
      repaired = customer_codes[cu->second].empty();
    }
    // A correcting record rejected again leaves the rejection open, with a new one beside it [§6.6.2.1].
    if (repaired) {
      CAISSON_RETURN_IF_ERROR(db->SetRejectionStatus(c.rejection_id, "repaired"));
      closed.insert(c.rejection_id);
    }
  }
  std::map<std::string, std::string> first_identified;  // "F:<fdid>" / "C:<tid key>" -> original timestamp
  std::vector<std::string> tid_keys(nc);
  for (size_t c = 0; c < nc; ++c) tid_keys[c] = TidKey(books.customers[c]);
  std::set<std::string> sent_customers(tid_keys.begin(), tid_keys.end());
  for (const auto& [id, rows] : open_by_id) {
    if (closed.contains(id)) continue;
    const Rejection& r = rows.front();
    if (std::any_of(rows.begin(), rows.end(), [](const Rejection& x) { return CorrectionListOnly(x.code); }))
      continue;
    const std::string key = r.fdid ? "F:" + r.firm_designated_id : "C:" + r.tid_key;
    const bool resent = r.fdid ? fdid_by_name.contains(r.firm_designated_id)
                               : !r.tid_key.empty() && sent_customers.contains(r.tid_key);
    if (!resent) continue;
    // Repaired by the resubmission; a new failure of the record keeps the original timeline [§6.6.2.2].
    CAISSON_RETURN_IF_ERROR(db->SetRejectionStatus(id, "repaired"));
    first_identified.emplace(key, r.identified);
  }

  // New rejections: one rejectionID per rejected record, one row per code [§6.3 r6].
  auto add = [&](bool is_fdid, size_t index, const std::set<int64_t>& codes) -> Status {
    Result<int64_t> id = db->Next("rejection");
    if (!id.ok()) return id.status();
    Rejection r;
    r.id = *id;
    r.fdid = is_fdid;
    r.file = j.data.name;
    r.submission_id = j.data.submission_id;
    r.submitter = j.submitter;
    r.crd = j.crd;
    r.corr = j.corr;
    r.identified = options.scan_timestamp;
    r.identified_unix = options.scan_unix;
    if (is_fdid) {
      const model::Fdid& f = books.fdids[index];
      if (f.firm_designated_id) r.firm_designated_id = std::string(*f.firm_designated_id);
      if (f.fdid_record_id.has_value()) r.fdid_record_id = f.fdid_record_id.value;
    } else {
      r.tid_key = tid_keys[index];
      if (books.customers[index].customer_record_id.has_value()) {
        r.customer_record_ids.push_back(books.customers[index].customer_record_id.value);
      }
    }
    auto orig = first_identified.find(is_fdid ? "F:" + r.firm_designated_id : "C:" + r.tid_key);
    if (orig != first_identified.end()) r.identified = orig->second;
    for (int64_t code : codes) {
      r.code = code;
      Rejection row = r;
      if (is_fdid && code == 22048) {  // the rejected customers that took the FDID with them [Table 20]
        for (size_t c : customers_of[index]) {
          if (!customer_codes[c].empty() && books.customers[c].customer_record_id.has_value()) {
            row.customer_record_ids.push_back(books.customers[c].customer_record_id.value);
          }
        }
      }
      CAISSON_RETURN_IF_ERROR(db->AddRejection(row));
      Item item;
      item.rejection_id = row.id;
      item.firm_designated_id = row.firm_designated_id;
      item.fdid_record_id = row.fdid_record_id;
      item.customer_record_ids = row.customer_record_ids;
      item.code = code;
      item.timestamp = options.scan_timestamp;
      j.data.items.push_back(item);
    }
    return Status::OK();
  };
  j.fdids = static_cast<int64_t>(nf);
  for (size_t i = 0; i < nf; ++i) {
    if (!fdid_codes[i].empty()) {
      CAISSON_RETURN_IF_ERROR(add(true, i, fdid_codes[i]));
      ++j.rejected_fdids;
    } else if (books.fdids[i].firm_designated_id) {
      AcceptedFdid a;
      a.crd = j.crd;
      a.corr = j.corr;
      a.submitter = j.submitter;
      a.fdid = std::string(*books.fdids[i].firm_designated_id);
      a.file = j.data.name;
      a.submission_id = j.data.submission_id;
      a.accepted_on = options.as_of;
      if (books.fdids[i].fdid_end_date.has_value()) {
        a.end_date = static_cast<int32_t>(books.fdids[i].fdid_end_date.value);
      }
      CAISSON_RETURN_IF_ERROR(db->AcceptFdid(a));
      ++j.accepted_fdids;
    }
  }
  // Each customer's open associations to open FDIDs in this file, for the inconsistency checks [§6.4.1 r1].
  std::vector<std::vector<std::string>> open_fdids(nc);
  std::vector<bool> open_association(nc, false);
  auto open_on = [&](const model::Num& end) { return !end.has_value() || end.value > options.as_of; };
  for (size_t i = 0; i < nf; ++i) {
    const model::Fdid& f = books.fdids[i];
    if (!fdid_codes[i].empty() || !f.firm_designated_id || !open_on(f.fdid_end_date)) continue;
    for (const model::Association& a : f.fdid_customer_list) {
      if (!a.customer_record_id.has_value() || !open_on(a.role_end_date)) continue;
      auto it = customer_by_crid.find(a.customer_record_id.value);
      if (it == customer_by_crid.end()) continue;
      open_association[it->second] = true;
      std::vector<std::string>& names = open_fdids[it->second];
      const std::string name(*f.firm_designated_id);
      if (names.size() < 10 && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  int64_t tids_warned = 0;
  for (size_t c = 0; c < nc; ++c) {
    const bool natural = books.customers[c].kind == model::CustomerKind::kNaturalPerson;
    (natural ? j.naturals : j.entities) += 1;
    if (!customer_codes[c].empty()) {
      CAISSON_RETURN_IF_ERROR(add(false, c, customer_codes[c]));
      ++j.rejected_customers;
    } else {
      (natural ? j.naturals_ok : j.entities_ok) += 1;
      ++j.accepted_customers;
      if (!tid_keys[c].empty()) {
        CAISSON_RETURN_IF_ERROR(db->AcceptCustomer(j.crd, tid_keys[c], j.data.name, j.data.submission_id));
      }
      const model::Customer& cust = books.customers[c];
      MiVersion v;
      v.identity = MiIdentity(cust);
      v.crd = j.crd;
      v.corr = j.corr;
      v.submitter = j.submitter;
      v.kind = natural ? 1 : 2;
      if (natural && cust.year_of_birth.has_value()) v.year_of_birth = cust.year_of_birth.value;
      v.foreign_kind = cust.tid && Or(cust.tid->tid_type) == "FOREIGN" &&
                       (Or(cust.tid->foreign_tid_type) == "OTHGOVT" ||
                        Or(cust.tid->foreign_tid_type) == "NATIONALID");
      v.active = open_association[c];
      v.file = j.data.name;
      v.submission_id = j.data.submission_id;
      if (cust.customer_record_id.has_value()) v.customer_record_ids.push_back(cust.customer_record_id.value);
      v.fdids = open_fdids[c];
      v.accepted_unix = options.scan_unix;
      CAISSON_RETURN_IF_ERROR(OnCustomerAccepted(v, cust.update_notification.is_true(), db));
    }
    if (!tid_warnings[c].empty()) ++tids_warned;
    for (int64_t w : tid_warnings[c]) {
      Item item;
      item.code = w;
      item.timestamp = options.scan_timestamp;
      if (books.customers[c].customer_record_id.has_value()) {
        item.customer_record_ids.push_back(books.customers[c].customer_record_id.value);
      }
      j.tid.items.push_back(item);
    }
  }
  j.tids_ok = std::max<int64_t>(0, j.tids - tids_warned);
  if (j.crd >= 0) CAISSON_RETURN_IF_ERROR(db->AddCrd(j.crd));
  CAISSON_RETURN_IF_ERROR(db->AddAnswered(j.data.name, pair->data.sha, j.data.submission_id, false));
  CAISSON_RETURN_IF_ERROR(db->AddAnswered(j.tid.name, pair->tid.sha, j.tid.submission_id, false));
  return j;
}

}  // namespace caisson::sim::internal
