// fdid.sensitive: no emitted text carries an account number, a raw SSN/ITIN, a non-LEI foreign identifier or a
// full birth date [§2.2.1; §2.2.5.1–§2.2.5.2; App C "FDID"], and a non-proprietary account's FDID is not its
// account number [§2.2.1].
//
// Values are compared in a compact form (ASCII letters upper-cased, digits, non-ASCII bytes; everything else
// dropped), so "123-45-6789", "123 45 6789" and "123456789" all match one another. Values shorter than four
// compact characters are ignored to avoid matching ordinary text. Each FDID is compared only with its own
// account number and its own customers' values, so the cost grows with the associations, not their square.
// Compacting keeps every digit, so a text with fewer digits than each needle cannot hold one; most names and
// address lines are passed over on that count alone, without being compacted.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identity/identity.h"
#include "identity/internal.h"

namespace caisson::identity::internal {
namespace {

constexpr size_t kMinLength = 4;

void Compact(std::string_view s, std::string* out) {
  out->resize(s.size());  // written through a pointer: a push_back per character was 4 % of a validate
  char* o = out->data();
  for (char c : s) {
    if (c >= 'a' && c <= 'z') {
      *o++ = static_cast<char>(c - 32);
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
      *o++ = c;
    }
  }
  out->resize(static_cast<size_t>(o - out->data()));
}

size_t Digits(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += static_cast<size_t>(c >= '0' && c <= '9');
  return n;
}

// Compact values to look for, and the fewest digits any of them has.
struct Needles {
  std::vector<std::string> values;
  size_t min_digits = SIZE_MAX;

  void Add(const std::string& compact) {
    values.push_back(compact);
    min_digits = std::min(min_digits, Digits(compact));
  }
  void Clear() {
    values.clear();
    min_digits = SIZE_MAX;
  }
  bool empty() const { return values.empty(); }
};

// The compact needles of one customer: raw SSN/ITIN and non-LEI foreign identifiers (ended ones too: they
// stay sensitive), and the birth date (YYYYMMDD; YYYY-MM-DD compacts to the same).
void CustomerNeedles(const model::SensitiveInput& s, size_t ci, Needles* needles) {
  std::string k;
  if (ci < s.identifiers.size()) {
    for (const model::RawIdentifier& r : s.identifiers[ci]) {
      // EIN and LEI are emitted in plaintext anyway; a GIIN is a public registration number.
      if (r.id_type == "EIN" || r.id_type == "LEI" || r.id_type == "GIIN") continue;
      Compact(r.id_value, &k);
      if (k.size() >= kMinLength) needles->Add(k);
    }
  }
  if (ci < s.birth_dates.size()) {
    Compact(s.birth_dates[ci], &k);
    if (k.size() >= kMinLength) needles->Add(k);
  }
}

bool Proprietary(const model::Fdid& f) {
  if (f.proprietary.present()) return f.proprietary.is_true();
  if (!f.account_type.has_value()) return false;
  for (const std::string& t : *f.account_type) {
    if (t == "FIRM" || t == "AVERAGE") return true;
  }
  return false;
}

struct Checker {
  const model::Books& books;
  std::vector<Finding>* findings;
  std::vector<uint32_t> customer_flagged;  // bit per customer field already reported
  std::vector<bool> customer_checked;      // checked against a superset of its own needles
  std::string hay;

  bool Contains(const model::Text& text, const Needles& needles) {
    if (needles.empty() || !text.has_value() || text.view().size() < kMinLength) return false;
    if (Digits(text.view()) < needles.min_digits) return false;
    Compact(*text, &hay);
    for (const std::string& n : needles.values) {
      if (hay.find(n) != std::string::npos) return true;
    }
    return false;
  }

  void Report(RecordKind record, const std::string& key, int64_t index, const model::Origin& origin,
              std::string_view column, std::string_view cais_field, std::string message) {
    Finding f;
    f.rule = "fdid.sensitive";
    f.severity = Severity::kPolicy;
    f.record = record;
    f.key = key;
    f.file = origin.file < books.files.size() ? books.files[origin.file] : std::string();
    f.line = origin.line;
    f.field = std::string(column);
    f.message = message.empty() ? std::string(cais_field) +
                                      " contains an account number, an SSN/ITIN, a foreign identifier or a "
                                      "birth date of the account's customers"
                                : std::move(message);
    f.record_index = index;
    findings->push_back(std::move(f));
  }

  void CheckAddresses(const std::vector<model::Address>& list, const Needles& needles,
                      RecordKind record, const std::string& key, int64_t index, uint32_t* flagged) {
    static constexpr std::string_view kColumns[] = {"line1", "line2", "line3", "line4"};
    static constexpr std::string_view kFields[] = {"addrLine1", "addrLine2", "addrLine3", "addrLine4"};
    for (const model::Address& a : list) {
      const model::Text* lines[] = {&a.addr_line1, &a.addr_line2, &a.addr_line3, &a.addr_line4};
      for (int l = 0; l < 4; ++l) {
        uint32_t bit = 1u << (8 + l);
        if (flagged != nullptr && (*flagged & bit)) continue;
        if (Contains(*lines[l], needles)) {
          Report(record, key, index, a.origin, kColumns[l], kFields[l], "");
          if (flagged != nullptr) *flagged |= bit;
        }
      }
    }
  }

  void CheckCustomer(size_t ci, const Needles& needles) {
    const model::Customer& c = books.customers[ci];
    customer_checked[ci] = true;
    uint32_t* flagged = &customer_flagged[ci];
    struct Named {
      const model::Text* text;
      std::string_view column, field;
    };
    const Named fields[] = {{&c.first_name, "first_name", "firstName"},
                            {&c.middle_name, "middle_name", "middleName"},
                            {&c.last_name, "last_name", "lastName"},
                            {&c.name_suffix, "name_suffix", "nameSuffix"},
                            {&c.doing_business_as, "doing_business_as", "doingBusinessAs"},
                            {&c.legal_name, "legal_name", "legalName"}};
    for (uint32_t k = 0; k < std::size(fields); ++k) {
      if (*flagged & (1u << k)) continue;
      if (Contains(*fields[k].text, needles)) {
        Report(RecordKind::kCustomer, c.key, static_cast<int64_t>(ci), c.origin, fields[k].column,
               fields[k].field, "");
        *flagged |= 1u << k;
      }
    }
    CheckAddresses(c.address_list, needles, RecordKind::kCustomer, c.key, static_cast<int64_t>(ci), flagged);
  }
};

}  // namespace

void CheckSensitive(const model::Books& books, const model::SensitiveInput& sensitive,
                    std::vector<Finding>* findings) {
  Checker ck{books, findings, std::vector<uint32_t>(books.customers.size(), 0),
             std::vector<bool>(books.customers.size(), false), {}};
  Needles needles;
  std::string account;
  for (size_t fi = 0; fi < books.fdids.size(); ++fi) {
    const model::Fdid& f = books.fdids[fi];
    const std::string key = f.firm_designated_id.str();
    const int64_t index = static_cast<int64_t>(fi);
    needles.Clear();
    account.clear();
    if (fi < sensitive.account_numbers.size()) Compact(sensitive.account_numbers[fi], &account);
    const bool proprietary = Proprietary(f);
    // §2.2.1: only a proprietary account may use its account number as its FDID.
    if (!proprietary && account.size() >= kMinLength && f.firm_designated_id.has_value()) {
      std::string fdid;
      Compact(*f.firm_designated_id, &fdid);
      if (fdid == account) {
        ck.Report(RecordKind::kFdid, key, index, f.origin, "fdid", "firmDesignatedID",
                  "firmDesignatedID of an account that is not proprietary is its account number");
      }
    }
    for (const model::Association& a : f.fdid_customer_list) {
      if (a.customer_index >= 0) CustomerNeedles(sensitive, static_cast<size_t>(a.customer_index), &needles);
    }
    // The FDID field itself is tested without the account number (handled above, allowed when proprietary).
    if (ck.Contains(f.firm_designated_id, needles)) {
      ck.Report(RecordKind::kFdid, key, index, f.origin, "fdid", "firmDesignatedID", "");
    }
    if (account.size() >= kMinLength) needles.Add(account);
    if (!proprietary && account.size() >= kMinLength && f.firm_designated_id.has_value()) {
      std::string fdid;
      Compact(*f.firm_designated_id, &fdid);
      if (fdid != account && fdid.find(account) != std::string::npos) {
        ck.Report(RecordKind::kFdid, key, index, f.origin, "fdid", "firmDesignatedID", "");
      }
    }
    if (ck.Contains(f.account_name, needles)) {
      ck.Report(RecordKind::kFdid, key, index, f.origin, "account_name", "accountName", "");
    }
    ck.CheckAddresses(f.address_list, needles, RecordKind::kFdid, key, index, nullptr);
    for (const model::AuthTraderName& t : f.auth_trader_names_list) {
      if (ck.Contains(t.auth_trader_name, needles)) {
        ck.Report(RecordKind::kFdid, key, index, t.origin, "full_name", "authTraderName", "");
      }
    }
    for (const model::Association& a : f.fdid_customer_list) {
      if (a.customer_index >= 0 && static_cast<size_t>(a.customer_index) < books.customers.size()) {
        ck.CheckCustomer(static_cast<size_t>(a.customer_index), needles);
      }
    }
  }
  // Every customer no FDID above brought in, against its own values (the others met theirs among their FDID's).
  for (size_t ci = 0; ci < books.customers.size(); ++ci) {
    if (ck.customer_checked[ci]) continue;
    needles.Clear();
    CustomerNeedles(sensitive, ci, &needles);
    if (!needles.empty()) ck.CheckCustomer(ci, needles);
  }
}

}  // namespace caisson::identity::internal
