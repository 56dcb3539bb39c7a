// Compact JSON for CAIS records [Table 8; Table 9]: keys in table order, absent values omitted.
//
// Everything appends to a caller-owned buffer (no per-record strings). Omission, not `null`, is how a C or O
// field is left out [§5.1.3 R17 allows both]; omitting keeps files small and gives one spelling of "absent".
#include <charconv>
#include <string>

#include "base/finding.h"
#include "emit/internal.h"

namespace caisson::emit::internal {

namespace {

// Natural Person fields the Feb-2025 exemption may drop; the profile says which ones (PiiExemptField).
constexpr std::string_view kNpFields[] = {"firstName",       "middleName",  "lastName",   "nameSuffix",
                                          "doingBusinessAs", "yearOfBirth", "addressList"};
enum NpField { kFirst, kMiddle, kLast, kSuffix, kDba, kYob, kAddresses };

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

// Appends the members of one JSON object, with commas.
class Obj {
 public:
  explicit Obj(std::string* out) : out_(out) { out_->push_back('{'); }
  ~Obj() { out_->push_back('}'); }
  Obj(const Obj&) = delete;
  Obj& operator=(const Obj&) = delete;

  void Key(std::string_view k) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(k);
    out_->append("\":");
  }
  void Int(std::string_view k, int64_t v) {
    Key(k);
    AppendInt(v, out_);
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(v, out_);
  }
  void Text(std::string_view k, const model::Text& v) {
    if (v) Str(k, *v);
  }
  // tidValue and replacedByTID are Hexadecimal; CAIS compares them case-insensitively and cli.md asks for
  // lowercase.
  void Hex(std::string_view k, const model::Text& v) {
    if (!v) return;
    Key(k);
    out_->push_back('"');
    for (char c : *v) out_->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    out_->push_back('"');
  }
  // Invalid values cannot reach emit (validate rejects them and the record is held back); they are omitted.
  void Num(std::string_view k, const model::Num& v) {
    if (v.has_value()) Int(k, v.value);
  }
  void Flag(std::string_view k, const model::Flag& v) {
    if (v.state == model::Flag::State::kTrue || v.state == model::Flag::State::kFalse) {
      Key(k);
      out_->append(v.is_true() ? "true" : "false");
    }
  }
  void TextList(std::string_view k, const model::TextList& v) {
    if (!v || v->empty()) return;
    Key(k);
    out_->push_back('[');
    for (size_t i = 0; i < v->size(); ++i) {
      if (i > 0) out_->push_back(',');
      AppendJsonString((*v)[i], out_);
    }
    out_->push_back(']');
  }
  void NumList(std::string_view k, const model::NumList& v) {
    if (!v) return;
    bool any = false;
    for (const model::Num& n : *v) {
      if (!n.has_value()) continue;
      if (!any) {
        Key(k);
        out_->push_back('[');
      } else {
        out_->push_back(',');
      }
      any = true;
      AppendInt(n.value, out_);
    }
    if (any) out_->push_back(']');
  }
  std::string* out() { return out_; }

 private:
  std::string* out_;
  bool first_ = true;
};

void AppendAddresses(Obj* o, const std::vector<model::Address>& list) {
  if (list.empty()) return;
  o->Key("addressList");
  std::string* out = o->out();
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out->push_back(',');
    const model::Address& a = list[i];
    Obj r(out);
    r.Text("addrType", a.addr_type);
    r.Text("addrLine1", a.addr_line1);
    r.Text("addrLine2", a.addr_line2);
    r.Text("addrLine3", a.addr_line3);
    r.Text("addrLine4", a.addr_line4);
    r.Text("city", a.city);
    r.Text("regionCode", a.region_code);
    r.Text("countryCode", a.country_code);
    r.Text("postalCode", a.postal_code);
  }
  out->push_back(']');
}

}  // namespace

Serialiser::Serialiser(const spec::Profile& profile) : version_(profile.schema_version()) {
  for (int i = kFirst; i <= kAddresses; ++i) exempt_[i] = profile.PiiExemptField(kNpFields[i]);
}

void Serialiser::AppendFdid(const model::Fdid& f, int64_t fdid_record_id,
                            const std::vector<int64_t>& customer_ids, std::string* out) const {
  Obj o(out);
  o.Int("fdidRecordID", fdid_record_id);
  o.Text("firmDesignatedID", f.firm_designated_id);
  o.Text("fdidType", f.fdid_type);
  o.TextList("accountType", f.account_type);
  o.Text("accountName", f.account_name);
  o.TextList("DVPCustodianID", f.dvp_custodian_id);
  o.TextList("clearingBrokerID", f.clearing_broker_id);
  o.Num("branchOfficeCRD", f.branch_office_crd);
  o.NumList("registeredRepCRD", f.registered_rep_crd);
  o.Num("fdidDate", f.fdid_date);
  o.Num("fdidEndDate", f.fdid_end_date);
  o.Text("fdidEndReason", f.fdid_end_reason);
  o.Text("replacedByFDID", f.replaced_by_fdid);
  o.Num("priorCATReporterCRD", f.prior_cat_reporter_crd);
  o.Text("priorCATReporterFDID", f.prior_cat_reporter_fdid);
  AppendAddresses(&o, f.address_list);
  if (!f.large_trader_list.empty()) {
    o.Key("largeTraderList");
    out->push_back('[');
    // largeTraderRecordID is unique per FDID Record in the file [Table 8]; emit numbers from 1.
    int64_t id = 0;
    for (const model::LargeTrader& lt : f.large_trader_list) {
      if (id > 0) out->push_back(',');
      Obj r(out);
      r.Int("largeTraderRecordID", ++id);
      r.Text("largeTraderID", lt.large_trader_id);
      r.Num("ltidEffectiveDate", lt.ltid_effective_date);
      r.Num("ltidEndDate", lt.ltid_end_date);
      r.Text("ltidEndReason", lt.ltid_end_reason);
    }
    out->push_back(']');
  }
  if (!f.fdid_customer_list.empty()) {
    o.Key("fdidCustomerList");
    out->push_back('[');
    bool first = true;
    for (const model::Association& a : f.fdid_customer_list) {
      if (!first) out->push_back(',');
      first = false;
      Obj r(out);
      // A role naming no customer of the books (22041) holds its FDID back, so only a fingerprint meets it.
      const bool known = a.customer_index >= 0 && static_cast<size_t>(a.customer_index) < customer_ids.size();
      r.Int("customerRecordID", known ? customer_ids[static_cast<size_t>(a.customer_index)] : 0);
      r.Text("role", a.role);
      r.Flag("hasDiscretion", a.has_discretion);
      r.Num("roleStartDate", a.role_start_date);
      r.Num("roleEndDate", a.role_end_date);
      r.Text("roleEndReason", a.role_end_reason);
    }
    out->push_back(']');
  }
  if (!f.auth_trader_names_list.empty()) {
    o.Key("authTraderNamesList");
    out->push_back('[');
    int64_t id = 0;
    for (const model::AuthTraderName& n : f.auth_trader_names_list) {
      if (id > 0) out->push_back(',');
      Obj r(out);
      r.Int("authTraderNameID", ++id);
      r.Text("authTraderName", n.auth_trader_name);
    }
    out->push_back(']');
  }
}

void Serialiser::AppendCustomer(const model::Customer& c, int64_t customer_record_id,
                                std::string* out) const {
  Obj o(out);
  o.Int("customerRecordID", customer_record_id);
  if (c.kind == model::CustomerKind::kLegalEntity) {
    o.Text("legalName", c.legal_name);
    AppendAddresses(&o, c.address_list);
    o.Text("ein", c.ein);
    o.TextList("customerType", c.customer_type);
    o.Text("lei", c.lei);
    o.Flag("updateNotification", c.update_notification);
    return;
  }
  // The exemption covers natural persons whose TID comes from an SSN/ITIN [profile pii_exempt_fields].
  const bool ssn = c.tid && c.tid->tid_type && *c.tid->tid_type == "SSN/ITIN";
  auto keep = [&](int field) { return !(ssn && exempt_[field]); };
  if (keep(kFirst)) o.Text("firstName", c.first_name);
  if (keep(kMiddle)) o.Text("middleName", c.middle_name);
  if (keep(kLast)) o.Text("lastName", c.last_name);
  if (keep(kSuffix)) o.Text("nameSuffix", c.name_suffix);
  if (keep(kDba)) o.Text("doingBusinessAs", c.doing_business_as);
  if (keep(kYob)) o.Num("yearOfBirth", c.year_of_birth);
  if (keep(kAddresses)) AppendAddresses(&o, c.address_list);
  o.TextList("customerType", c.customer_type);
  o.Flag("updateNotification", c.update_notification);
}

void Serialiser::AppendTid(const model::Customer& c, int64_t customer_record_id, std::string* out) const {
  const model::TidRecord& t = *c.tid;
  Obj o(out);
  o.Int("customerRecordID", customer_record_id);
  o.Text("tidType", t.tid_type);
  o.Text("foreignTIDType", t.foreign_tid_type);
  o.Text("foreignTIDCountryCd", t.foreign_tid_country_cd);
  o.Hex("tidValue", t.tid_value);
  o.Text("replacedByTIDType", t.replaced_by_tid_type);
  o.Text("replacingForeignTIDType", t.replacing_foreign_tid_type);
  o.Text("replacingForeignTIDCountryCd", t.replacing_foreign_tid_country_cd);
  o.Hex("replacedByTID", t.replaced_by_tid);
}

void Serialiser::AppendDataHeader(const Options& options, int64_t correspondent_crd, int64_t fdids,
                                  int64_t nps, int64_t les, std::string* out) const {
  out->append("{\"version\":");
  AppendJsonString(version_, out);
  out->append(",\"catReporterCRD\":");
  AppendInt(options.cat_reporter_crd, out);
  out->append(",\"catSubmitterID\":");
  AppendInt(options.cat_submitter_id, out);
  if (correspondent_crd >= 0) {
    out->append(",\"correspondentCRD\":");
    AppendInt(correspondent_crd, out);
  }
  out->append(",\"fdidRecordCount\":");
  AppendInt(fdids, out);
  out->append(",\"naturalPersonCustomerRecordCount\":");
  AppendInt(nps, out);
  out->append(",\"legalEntityCustomerRecordCount\":");
  AppendInt(les, out);
}

void Serialiser::AppendTidHeader(int64_t tids, std::string* out) const {
  out->append("{\"version\":");
  AppendJsonString(version_, out);
  out->append(",\"tidRecordCount\":");
  AppendInt(tids, out);
}

uint64_t ListBytes(std::string_view name, int64_t count, uint64_t record_bytes) {
  if (count == 0) return 0;
  const uint64_t n = static_cast<uint64_t>(count);
  return (name.size() + 5) + record_bytes + n + (n - 1) + 2;  // ,"name":[  \n…  ,…  \n]
}

}  // namespace caisson::emit::internal
