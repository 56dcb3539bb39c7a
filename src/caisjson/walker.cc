// Record walker: turns one simdjson record into the model, reporting duplicate keys, unknown fields and values
// of the wrong JSON type [rules.md §2, §4, §6: *.unknown_field, *.data_type; §1 file.duplicate_key].
//
// Which keys exist comes from the profile (Table 8/9); which model member a key fills is the binding below,
// spelled with the spec's names. A value of the wrong JSON type leaves the member Invalid (numbers, Booleans)
// or absent (text), so validate still sees that something was sent. `null` means absent [§2.5.2; Table 4].
#include <fmt/format.h>

#include "caisjson/reader_internal.h"

namespace caisson::caisjson::internal {

namespace dom = simdjson::dom;
using model::Flag;
using model::Num;

std::string CridKey(const Num& crid) {
  return crid.has_value() ? fmt::format("crid:{}", crid.value) : std::string();
}

namespace {

bool ReadNum(dom::element v, Num* out) {
  switch (v.type()) {
    case dom::element_type::NULL_VALUE:
      *out = Num{};
      return true;
    case dom::element_type::INT64: {
      int64_t x = 0;
      if (!v.get_int64().get(x) && x >= 0) {
        *out = Num::Of(x);
        return true;
      }
      break;
    }
    default:
      break;
  }
  *out = Num::Invalid();  // negative, fractional, too large for the model, or not a number
  return false;
}

bool ReadText(dom::element v, model::Text* out) {
  std::string_view s;
  if (v.type() == dom::element_type::STRING && !v.get_string().get(s)) {
    *out = std::string(s);
    return true;
  }
  out->reset();
  return v.type() == dom::element_type::NULL_VALUE;
}

bool ReadFlag(dom::element v, Flag* out) {
  if (v.type() == dom::element_type::BOOL) {
    bool b = false;
    if (v.get_bool().get(b)) b = false;
    *out = Flag::Of(b);
    return true;
  }
  *out = v.type() == dom::element_type::NULL_VALUE ? Flag{} : Flag{Flag::State::kInvalid};
  return v.type() == dom::element_type::NULL_VALUE;
}

bool ReadTextList(dom::element v, model::TextList* out) {
  out->reset();
  if (v.type() == dom::element_type::NULL_VALUE) return true;
  if (v.type() != dom::element_type::ARRAY) return false;
  bool ok = true;
  out->emplace();
  for (dom::element e : dom::array(v)) {
    std::string_view s;
    if (e.type() == dom::element_type::STRING && !e.get_string().get(s)) {
      (*out)->emplace_back(s);
    } else {
      ok = false;
    }
  }
  return ok;
}

bool ReadNumList(dom::element v, model::NumList* out) {
  out->reset();
  if (v.type() == dom::element_type::NULL_VALUE) return true;
  if (v.type() != dom::element_type::ARRAY) return false;
  bool ok = true;
  out->emplace();
  for (dom::element e : dom::array(v)) {
    Num n;
    if (!ReadNum(e, &n)) ok = false;
    (*out)->push_back(n);
  }
  return ok;
}

// Matches a key against the model binding of one object; records whether its JSON type was right.
struct Bind {
  std::string_view key;
  dom::element v;
  bool matched = false;
  bool ok = true;

  Bind& N(std::string_view n, Num* m) {
    if (!matched && key == n) matched = true, ok = ReadNum(v, m);
    return *this;
  }
  Bind& T(std::string_view n, model::Text* m) {
    if (!matched && key == n) matched = true, ok = ReadText(v, m);
    return *this;
  }
  Bind& F(std::string_view n, Flag* m) {
    if (!matched && key == n) matched = true, ok = ReadFlag(v, m);
    return *this;
  }
  Bind& TL(std::string_view n, model::TextList* m) {
    if (!matched && key == n) matched = true, ok = ReadTextList(v, m);
    return *this;
  }
  Bind& NL(std::string_view n, model::NumList* m) {
    if (!matched && key == n) matched = true, ok = ReadNumList(v, m);
    return *this;
  }
};

size_t CountObjectsIn(dom::element v) {
  if (v.type() != dom::element_type::ARRAY) return 0;
  size_t n = 0;
  for (dom::element e : dom::array(v)) n += e.type() == dom::element_type::OBJECT ? 1 : 0;
  return n;
}

}  // namespace

// The record being walked: where it is, which rules apply, the findings it collects until its key is known.
struct Walk {
  Reader& r;
  const spec::Profile& profile;
  Family family;
  RecordKind kind;
  int32_t index;         // position in its JSON list
  uint64_t line;         // line of the record
  int64_t record_index;  // index in Books::fdids/customers, or -1
  const std::vector<uint64_t>* sub_lines;
  std::vector<Finding> pending;

  void Add(std::string_view rule, std::string_view code, RecordKind rk, uint64_t at, std::string field,
           std::string message) {
    Finding f;
    f.rule = std::string(rule);
    // The catalogue's severity: correction.format is a warning [App B Table 30], the others reject.
    f.severity = rule.starts_with("correction.") ? Severity::kWarning : Severity::kReject;
    f.cais_code = std::string(code);
    f.record = rk;
    f.file = r.name_;
    f.line = at;
    f.field = std::move(field);
    f.message = std::move(message);
    f.record_index = rk == RecordKind::kFile ? -1 : record_index;
    pending.push_back(std::move(f));
  }

  void Flush(const std::string& key) {
    for (Finding& f : pending) {
      // A correction finding is a file finding keyed by the record it names [rules.md §7].
      if (f.record != RecordKind::kFile || f.rule.starts_with("correction.")) f.key = key;
      r.findings_->push_back(std::move(f));
    }
    pending.clear();
  }

  void Unknown(uint64_t at, const std::string& path, std::string_view key) {
    std::string field = fmt::format("{}.{}", path, key);
    switch (family) {
      case Family::kFdid:
        Add("fdid.unknown_field", "22018", kind, at, field, fmt::format("{} is not a field of this record", field));
        break;
      case Family::kCustomer:
        Add("customer.unknown_field", "22546", kind, at, field,
            fmt::format("{} is not a field of this record", field));
        break;
      case Family::kTid:
        Add("tid.unknown_field", "22914", kind, at, field,
            fmt::format("[24917] {} is not a field of the TID record", field));
        break;
      case Family::kCorrection:
        Add("correction.format", "24006", kind, at, field,
            fmt::format("{} is not a field of the Correction Action Record", field));
        break;
    }
  }

  void BadType(uint64_t at, const std::string& field, std::string_view key) {
    switch (family) {
      case Family::kFdid:
        Add("fdid.data_type", "22034", kind, at, field, fmt::format("{} has the wrong JSON data type", field));
        break;
      case Family::kCustomer:
        Add("customer.data_type", "22522", kind, at, field, fmt::format("{} has the wrong JSON data type", field));
        break;
      case Family::kTid: {
        // The code follows the field [rules.md §6 tid.data_type].
        std::string_view code = key == "customerRecordID" ? "22526"
                                : key.starts_with("replac") ? "22914"
                                                            : "22900";
        Add("tid.data_type", code, kind, at, field, fmt::format("[24916] {} has the wrong JSON data type", field));
        break;
      }
      case Family::kCorrection:
        Add("correction.format", "24008", kind, at, field, fmt::format("{} has the wrong JSON data type", field));
        break;
    }
  }

  // Visits every member of `obj`: duplicates and unknown keys are reported and skipped; `set(key, value, n)`
  // binds the rest and returns false when the value has the wrong JSON type. `n` is, at the record level, the
  // number of sub-record objects before this member (to find their lines in sub_lines).
  template <class Set>
  void Members(dom::object obj, spec::Object object, const std::string& path, uint64_t at, bool top, Set&& set) {
    std::vector<std::string_view> seen;
    size_t before = 0;
    for (dom::key_value_pair kv : obj) {
      size_t here = before;
      if (top) before += CountObjectsIn(kv.value);
      bool dup = false;
      for (std::string_view s : seen) dup = dup || s == kv.key;
      if (dup) {
        bool tid = family == Family::kTid;
        Add("file.duplicate_key", tid ? "21516" : "21019", RecordKind::kFile, at,
            fmt::format("{}.{}", path, kv.key), fmt::format("{}.{} appears more than once in one object", path, kv.key));
        continue;
      }
      seen.push_back(kv.key);
      if (profile.Find(object, kv.key) == nullptr) {
        Unknown(at, path, kv.key);
        continue;
      }
      if (!set(kv.key, kv.value, here)) BadType(at, fmt::format("{}.{}", path, kv.key), kv.key);
    }
  }

  // A list of sub-records: `walk(obj, path, origin)` fills a new item. Returns false when `v` is not an array.
  template <class Item, class WalkItem>
  bool List(dom::element v, size_t first_sub, const std::string& path, bool* has, std::vector<Item>* out,
            WalkItem&& walk) {
    out->clear();
    *has = false;
    if (v.type() == dom::element_type::NULL_VALUE) return true;
    if (v.type() != dom::element_type::ARRAY) return false;
    *has = true;
    size_t k = first_sub;
    int32_t j = 0;
    for (dom::element e : dom::array(v)) {
      std::string item_path = fmt::format("{}[{}]", path, j);
      if (e.type() != dom::element_type::OBJECT) {
        BadType(line, item_path, "");
      } else {
        uint64_t at = sub_lines != nullptr && k < sub_lines->size() ? (*sub_lines)[k] : line;
        ++k;
        Item item;
        item.origin = model::Origin{r.file_index_, at, j, index};
        walk(dom::object(e), item_path, &item);
        out->push_back(std::move(item));
      }
      ++j;
    }
    return true;
  }

  void Address(dom::object o, const std::string& path, model::Address* a) {
    Members(o, spec::Object::kAddressRecord, path, a->origin.line, false,
            [&](std::string_view k, dom::element v, size_t) {
              Bind b{k, v};
              b.T("addrType", &a->addr_type).T("addrLine1", &a->addr_line1).T("addrLine2", &a->addr_line2);
              b.T("addrLine3", &a->addr_line3).T("addrLine4", &a->addr_line4).T("city", &a->city);
              b.T("regionCode", &a->region_code).T("countryCode", &a->country_code).T("postalCode", &a->postal_code);
              return b.ok;
            });
  }
};

bool Reader::Parse(const ScanItem& item, std::string_view list, dom::element* el) {
  const char* p = text_.data() + item.begin;
  size_t n = item.end - item.begin;
  simdjson::error_code err;
  if (item.end + simdjson::SIMDJSON_PADDING <= text_.size()) {
    err = parser_.parse(p, n, false).get(*el);  // the rest of the text is the padding
  } else {
    padded_.assign(p, n);
    padded_.append(simdjson::SIMDJSON_PADDING, ' ');
    err = parser_.parse(padded_.data(), n, false).get(*el);
  }
  if (err) {
    FileFinding(tid_file_ ? "file.json" : "file.json", tid_file_ ? "21511" : "21011", item.line, list,
                fmt::format("a record of {} starting on line {} cannot be read: {}", list, item.line,
                            simdjson::error_message(err)));
    return false;
  }
  return true;
}

void Reader::FileFinding(std::string_view rule, std::string_view code, uint64_t line, std::string_view field,
                         std::string message) {
  Finding f;
  f.rule = std::string(rule);
  f.severity = Severity::kReject;
  f.cais_code = std::string(code);
  f.record = RecordKind::kFile;
  f.file = name_;
  f.line = line;
  f.field = std::string(field);
  f.message = std::move(message);
  findings_->push_back(std::move(f));
}

void Reader::WalkFdid(const ScanItem& item, int32_t index, dom::element el, model::Books* books) {
  Walk w{*this, profile_, Family::kFdid, RecordKind::kFdid, index, item.line, -1, sub_lines, {}};
  std::string path = fmt::format("fdidRecordList[{}]", index);
  if (el.type() != dom::element_type::OBJECT) {
    w.BadType(item.line, path, "");
    w.Flush("");
    return;
  }
  w.record_index = static_cast<int64_t>(books->fdids.size());
  model::Fdid f;
  f.origin = model::Origin{file_index_, item.line, index, -1};
  auto set = [&](std::string_view k, dom::element v, size_t sub) {
    if (k == "addressList") {
      return w.List(v, item.sub_begin + sub, path + ".addressList", &f.has_address_list, &f.address_list,
                    [&](dom::object o, const std::string& p, model::Address* a) { w.Address(o, p, a); });
    }
    if (k == "largeTraderList") {
      return w.List(v, item.sub_begin + sub, path + ".largeTraderList", &f.has_large_trader_list,
                    &f.large_trader_list, [&](dom::object o, const std::string& p, model::LargeTrader* lt) {
                      w.Members(o, spec::Object::kLargeTraderRecord, p, lt->origin.line, false,
                                [&](std::string_view k2, dom::element v2, size_t) {
                                  Bind b{k2, v2};
                                  b.N("largeTraderRecordID", &lt->large_trader_record_id);
                                  b.T("largeTraderID", &lt->large_trader_id);
                                  b.N("ltidEffectiveDate", &lt->ltid_effective_date);
                                  b.N("ltidEndDate", &lt->ltid_end_date).T("ltidEndReason", &lt->ltid_end_reason);
                                  return b.ok;
                                });
                    });
    }
    if (k == "fdidCustomerList") {
      return w.List(v, item.sub_begin + sub, path + ".fdidCustomerList", &f.has_fdid_customer_list,
                    &f.fdid_customer_list, [&](dom::object o, const std::string& p, model::Association* a) {
                      w.Members(o, spec::Object::kFdidCustomerRecord, p, a->origin.line, false,
                                [&](std::string_view k2, dom::element v2, size_t) {
                                  Bind b{k2, v2};
                                  b.N("customerRecordID", &a->customer_record_id).T("role", &a->role);
                                  b.F("hasDiscretion", &a->has_discretion);
                                  b.N("roleStartDate", &a->role_start_date).N("roleEndDate", &a->role_end_date);
                                  b.T("roleEndReason", &a->role_end_reason);
                                  return b.ok;
                                });
                      a->customer_key = CridKey(a->customer_record_id);
                    });
    }
    if (k == "authTraderNamesList") {
      return w.List(v, item.sub_begin + sub, path + ".authTraderNamesList", &f.has_auth_trader_names_list,
                    &f.auth_trader_names_list, [&](dom::object o, const std::string& p, model::AuthTraderName* a) {
                      w.Members(o, spec::Object::kAuthTraderNameRecord, p, a->origin.line, false,
                                [&](std::string_view k2, dom::element v2, size_t) {
                                  Bind b{k2, v2};
                                  b.N("authTraderNameID", &a->auth_trader_name_id);
                                  b.T("authTraderName", &a->auth_trader_name);
                                  return b.ok;
                                });
                    });
    }
    Bind b{k, v};
    b.N("fdidRecordID", &f.fdid_record_id).T("firmDesignatedID", &f.firm_designated_id);
    b.T("fdidType", &f.fdid_type).TL("accountType", &f.account_type).T("accountName", &f.account_name);
    b.TL("DVPCustodianID", &f.dvp_custodian_id).TL("clearingBrokerID", &f.clearing_broker_id);
    b.N("branchOfficeCRD", &f.branch_office_crd).NL("registeredRepCRD", &f.registered_rep_crd);
    b.N("fdidDate", &f.fdid_date).N("fdidEndDate", &f.fdid_end_date).T("fdidEndReason", &f.fdid_end_reason);
    b.T("replacedByFDID", &f.replaced_by_fdid).N("priorCATReporterCRD", &f.prior_cat_reporter_crd);
    b.T("priorCATReporterFDID", &f.prior_cat_reporter_fdid);
    return b.ok;
  };
  w.Members(dom::object(el), spec::Object::kFdidRecord, path, item.line, true, set);
  w.Flush(f.firm_designated_id.str());
  books->fdids.push_back(std::move(f));
}

void Reader::WalkCustomer(const ScanItem& item, int32_t index, dom::element el, model::CustomerKind kind,
                          model::Books* books) {
  bool np = kind == model::CustomerKind::kNaturalPerson;
  Walk w{*this, profile_, Family::kCustomer, RecordKind::kCustomer, index, item.line, -1, sub_lines, {}};
  std::string path = fmt::format("{}[{}]", np ? "naturalPersonCustomerList" : "legalEntityCustomerList", index);
  if (el.type() != dom::element_type::OBJECT) {
    w.BadType(item.line, path, "");
    w.Flush("");
    return;
  }
  w.record_index = static_cast<int64_t>(books->customers.size());
  model::Customer c;
  c.kind = kind;
  c.origin = model::Origin{file_index_, item.line, index, -1};
  auto set = [&](std::string_view k, dom::element v, size_t sub) {
    if (k == "addressList") {
      return w.List(v, item.sub_begin + sub, path + ".addressList", &c.has_address_list, &c.address_list,
                    [&](dom::object o, const std::string& p, model::Address* a) { w.Address(o, p, a); });
    }
    Bind b{k, v};
    b.N("customerRecordID", &c.customer_record_id).TL("customerType", &c.customer_type);
    b.F("updateNotification", &c.update_notification);
    if (np) {
      b.T("firstName", &c.first_name).T("middleName", &c.middle_name).T("lastName", &c.last_name);
      b.T("nameSuffix", &c.name_suffix).T("doingBusinessAs", &c.doing_business_as);
      b.N("yearOfBirth", &c.year_of_birth);
    } else {
      b.T("legalName", &c.legal_name).T("ein", &c.ein).T("lei", &c.lei);
    }
    return b.ok;
  };
  w.Members(dom::object(el),
            np ? spec::Object::kNaturalPersonCustomerRecord : spec::Object::kLegalEntityCustomerRecord, path,
            item.line, true, set);
  c.key = CridKey(c.customer_record_id);
  w.Flush(c.key);
  books->customers.push_back(std::move(c));
}

bool Reader::WalkTid(const ScanItem& item, int32_t index, dom::element el, model::TidRecord* t) {
  Walk w{*this, profile_, Family::kTid, RecordKind::kTid, index, item.line, -1, sub_lines, {}};
  std::string path = fmt::format("tidRecordList[{}]", index);
  t->origin = model::Origin{file_index_, item.line, index, -1};
  if (el.type() != dom::element_type::OBJECT) {
    w.BadType(item.line, path, "");
    w.Flush("");
    return false;
  }
  w.Members(dom::object(el), spec::Object::kTidRecord, path, item.line, true,
            [&](std::string_view k, dom::element v, size_t) {
              Bind b{k, v};
              b.N("customerRecordID", &t->customer_record_id).T("tidType", &t->tid_type);
              b.T("foreignTIDType", &t->foreign_tid_type).T("foreignTIDCountryCd", &t->foreign_tid_country_cd);
              b.T("tidValue", &t->tid_value).T("replacedByTIDType", &t->replaced_by_tid_type);
              b.T("replacingForeignTIDType", &t->replacing_foreign_tid_type);
              b.T("replacingForeignTIDCountryCd", &t->replacing_foreign_tid_country_cd);
              b.T("replacedByTID", &t->replaced_by_tid);
              return b.ok;
            });
  // The customer this TID record belongs to is resolved by the caller; record_index stays -1 until then.
  w.Flush(CridKey(t->customer_record_id));
  return true;
}

// correction.format [Table 8 Correction Action Record; App B Table 30; §6.6.2.1] as far as the file alone can
// tell: whether rejectionID is an open rejection (24001 known, 24005, 24009) needs the state store.
void Reader::WalkCorrection(const ScanItem& item, int32_t index, dom::element el,
                            const std::function<bool(int64_t)>& has_customer) {
  Walk w{*this, profile_, Family::kCorrection, RecordKind::kFile, index, item.line, -1, sub_lines, {}};
  std::string path = fmt::format("correctionList[{}]", index);
  if (el.type() != dom::element_type::OBJECT) {
    w.BadType(item.line, path, "");
    w.Flush("");
    return;
  }
  Num rejection_id, correcting_crid;
  model::Text action, correcting_fdid;
  std::vector<std::string_view> bad;  // keys of the wrong JSON type (24008 already)
  w.Members(dom::object(el), spec::Object::kCorrectionActionRecord, path, item.line, true,
            [&](std::string_view k, dom::element v, size_t) {
              Bind b{k, v};
              b.N("rejectionID", &rejection_id).T("correctionAction", &action);
              b.T("correctingFirmDesignatedID", &correcting_fdid);
              b.N("correctingCustomerRecordID", &correcting_crid);
              if (!b.ok) bad.push_back(k);
              return b.ok;
            });
  auto is_bad = [&](std::string_view k) {
    for (std::string_view x : bad) {
      if (x == k) return true;
    }
    return false;
  };
  auto report = [&](std::string_view code, std::string_view field, std::string message) {
    w.Add("correction.format", code, RecordKind::kFile, item.line, fmt::format("{}.{}", path, field),
          std::move(message));
  };
  // App B 24001 is "Missing or Invalid rejectionID"; the field's codes in the profile say so too.
  if (!rejection_id.present() && !is_bad("rejectionID")) {
    report("24001", "rejectionID", "rejectionID is missing from the Correction Action Record");
  }
  const spec::Field* action_field = profile_.Find(spec::Object::kCorrectionActionRecord, "correctionAction");
  if (!is_bad("correctionAction")) {
    if (!action.has_value()) {
      report("24002", "correctionAction", "correctionAction is missing from the Correction Action Record");
    } else if (action_field != nullptr && !action_field->Allows(*action)) {
      report("24002", "correctionAction", "correctionAction is not one of its allowed values");
    }
  }
  // 24003: the correcting FDID is either in this file or one CAIS accepted earlier [§5.1.3.1 R17], so only its
  // form can be judged here.
  const spec::Field* fdid_field = profile_.Find(spec::Object::kCorrectionActionRecord, "correctingFirmDesignatedID");
  const int32_t max_fdid = fdid_field != nullptr ? fdid_field->MaxLength(99991231) : 0;
  const bool has_fdid = correcting_fdid.has_value();
  if (has_fdid && (correcting_fdid.empty() ||
                   (max_fdid > 0 && correcting_fdid.view().size() > static_cast<size_t>(max_fdid)))) {
    report("24003", "correctingFirmDesignatedID",
           fmt::format("correctingFirmDesignatedID is empty or longer than {} characters", max_fdid));
  }
  // 24007: the correcting Customer must be in this file [Table 8; §5.1.3.2 R6].
  if (correcting_crid.has_value()) {
    if (!has_customer(correcting_crid.value)) {
      report("24007", "correctingCustomerRecordID",
             "correctingCustomerRecordID names no Customer Record of this file");
    }
  }
  // CORRECTION repairs with a correcting FDID or a correcting Customer [Table 8 correctionAction]. Which one is
  // required (24003 or 24007) depends on the record the rejection was for, which only the state store knows,
  // so a CORRECTION with neither, or with both, has no App B code here.
  const bool has_crid = correcting_crid.present();
  if (action == "CORRECTION" && !is_bad("correctingFirmDesignatedID") && !is_bad("correctingCustomerRecordID")) {
    if (!has_fdid && !has_crid) {
      report("", "correctionAction",
             "correctionAction CORRECTION names neither a correctingFirmDesignatedID nor a "
             "correctingCustomerRecordID");
    } else if (has_fdid && has_crid) {
      report("", "correctionAction",
             "correctionAction CORRECTION names both a correctingFirmDesignatedID and a "
             "correctingCustomerRecordID");
    }
  }
  w.Flush(has_fdid && !correcting_fdid.empty() ? correcting_fdid.str() : CridKey(correcting_crid));
}

}  // namespace caisson::caisjson::internal
