// Linkage checks before submission (txn/linkage.h, docs/linkage.md) [§2.6, Table 5, App. E E.3].
#include "txn/linkage.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "txn/internal.h"
#include "txn/linkage_internal.h"

namespace caisson::txn {

using linkage::KeyFamily;
using linkage::OrderStore;
using linkage::Rules;
using linkage::StoredKey;

std::filesystem::path LinkageRulesPath(const std::filesystem::path& data_dir) {
  return data_dir / "txn" / "linkage-4.1.0r15.json";
}

namespace {

uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// [§2.6.3.1-2] CAT strips leading zeros from routedOrderID (and session on exchange routes) for the key.
std::string_view StripZeros(std::string_view s) {
  while (!s.empty() && s.front() == '0') s.remove_prefix(1);
  return s;
}

// [§2.4.1.2] <CRD>:<IMID>.
bool IsCrdImid(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size()) return false;
  for (size_t i = 0; i < colon; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  for (size_t i = colon + 1; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::string_view Suffix(std::string_view imid) {
  const size_t colon = imid.find(':');
  return colon == std::string_view::npos ? imid : imid.substr(colon + 1);
}

bool Ts(const Field* f, Timestamp* out) {
  if (!f || (f->kind != JsonKind::kString && f->kind != JsonKind::kNumber)) return false;
  return ParseTimestamp(f->value, f->kind == JsonKind::kString, out);
}

struct KeyInfo {
  uint32_t assigned = 0;   // events that assign this key (primary, or secondary with a new key)
  int64_t sort_key = 0;    // eventTimestamp of the first of them
  int32_t event_date = 0;
  bool has_ts = false;
  bool multi_day = false;  // timeInForce outlives the day
  uint8_t family = 0;
};

struct FileCtx {
  std::string_view file;
  std::string_view imid;   // the file-name CAT Reporter IMID
};

class Checker {
 public:
  Checker(const Rules& rules, const LinkageOptions& options, OrderStore* store, std::vector<Finding>* findings,
          LinkageSummary* summary, std::string_view pending)
      : rules_(rules), options_(options), store_(store), findings_(findings), summary_(summary), pending_(pending) {}

  void Pass1(const Event& e, const FileCtx& c);
  void Pass2(const Event& e, const FileCtx& c);
  Status Finish();

 private:
  std::string_view Imid(const Event& e, const FileCtx& c) const {
    std::string_view v = e.Get("CATReporterIMID");
    return v.empty() ? c.imid : v;
  }
  uint64_t RoeHash(int32_t date, std::string_view imid, std::string_view roe) {
    scratch_.clear();
    fmt::format_to(std::back_inserter(scratch_), "{}|{}|{}", date, imid, roe);
    return Hash(scratch_);
  }
  static std::string_view Symbol(const Event& e) {
    std::string_view s = e.Get("symbol");
    return s.empty() ? e.Get("optionID") : s;
  }
  // family|date.nanos|IMID|symbol|id; false when the date is absent or malformed or the id empty.
  bool MakeKey(size_t family, const Field* date, std::string_view imid, std::string_view symbol,
               std::string_view id, std::string* out) const {
    Timestamp t;
    if (id.empty() || !Ts(date, &t)) return false;
    out->clear();  // reused buffers: no allocation per event once grown
    fmt::format_to(std::back_inserter(*out), "{}|{}.{}|{}|{}|{}", rules_.families[family].name, t.date, t.nanos,
                   imid, symbol, id);
    return true;
  }
  // The event's own key family (first family whose id is populated), or -1.
  int Family(const Event& e) const {
    for (size_t i = 0; i < rules_.families.size(); ++i) {
      if (!e.Get(rules_.families[i].id).empty() && e.Has(rules_.families[i].date)) return static_cast<int>(i);
    }
    return -1;
  }
  // The populated prior / parent pair of `fam`, or nullptr.
  const std::pair<std::string, std::string>* Prior(const Event& e, int fam) const {
    for (const auto& p : rules_.families[fam].prior) {
      if (!e.Get(p.second).empty()) return &p;
    }
    return nullptr;
  }
  bool Assigns(const Event& e, int fam) const {
    if (e.action_type() == "COR") return false;  // a correction restates its original [§7.6.2]
    return rules_.primary.count(e.type()) > 0 || Prior(e, fam) != nullptr;
  }
  bool RouteKey(const Event& e, bool sender, std::string* out, bool* exchange) const;
  // Today's key, else the store's. False when neither has it.
  bool Resolve(const std::string& key, int32_t on_date, StoredKey* found) {
    auto it = keys_.find(key);
    if (it != keys_.end() && it->second.assigned > 0) {
      *found = StoredKey{it->second.has_ts ? it->second.sort_key : INT64_MIN, it->second.event_date};
      return true;
    }
    if (store_) {
      std::optional<StoredKey> s = store_->Find(key);
      // An order closed on an earlier day is gone; one closed on this day or later (a re-run) still resolves.
      if (s && (s->closed_date == 0 || s->closed_date >= on_date)) {
        ++summary_->resolved_from_store;
        *found = *s;
        return true;
      }
    }
    return false;
  }
  void Report(const Event& e, const FileCtx& c, int code, std::string_view rule, std::string_view field,
              std::string message) {
    hit_ = true;
    if (!reporting_) return;
    Finding f;
    f.rule = std::string(rule);
    f.severity = Severity::kReject;
    f.cais_code = std::to_string(code);
    f.record = RecordKind::kFile;
    f.key = std::string(e.Get("firmROEID"));
    f.file = std::string(c.file);
    f.line = e.line();
    f.field = std::string(field);
    f.message = std::move(message);
    ++summary_->by_code[f.cais_code];
    findings_->push_back(std::move(f));
  }
  // The checks CAT makes at ingestion (2xxx). True when one fails: CAT rejects the event, which then takes no
  // part in linkage (it assigns no key and links to nothing) [§7.4, §7.5].
  bool Ingestion(const Event& e, const FileCtx& c);
  void CheckOrderRef(const Event& e, const FileCtx& c, std::string_view array, int element, int code);
  void RouteFields(const Event& e, const FileCtx& c);
  void RouteLinks(const Event& e, const FileCtx& c);
  // A route (sender) or accept whose key matched nothing: the cause CAT would name when the other side is in the
  // input with the same routedOrderID (8005/8007/8009/8011, 9005/9007/9009/9011; the candidate with the fewest
  // differing fields), else "not found" (8003/9003) when the counterparty reports in the input.
  void Unlinked(const Event& e, const FileCtx& c, bool sender, bool counterparty_in_input);
  void CheckRepresentative(const Event& e, const FileCtx& c);

  const Rules& rules_;
  const LinkageOptions& options_;
  OrderStore* store_;
  std::vector<Finding>* findings_;
  LinkageSummary* summary_;
  std::unordered_map<uint64_t, uint32_t> roe_;        // hash(Event Date|IMID|firmROEID) -> count
  std::unordered_map<std::string, KeyInfo> keys_;     // event keys assigned in the input
  std::unordered_map<std::string, int32_t> closed_;   // order keys left with leavesQty 0 -> that Event Date
  std::unordered_map<std::string, uint32_t> sent_, received_;  // route linkage keys -> count
  // IM routes and accepts by (Event Date, routedOrderID without leading zeros): the other key fields, to name
  // the field that differs when a key does not match (8005-8011, 9005-9011).
  struct RouteSide {
    std::string sender, counterpart, symbol;  // counterpart: destination (route) or receiverIMID (accept)
  };
  std::unordered_map<std::string, std::vector<RouteSide>> sent_by_id_, received_by_id_;
  std::unordered_set<std::string> imids_;             // reporter IMIDs present in the input
  int32_t max_date_ = 0;
  std::string scratch_, own_, ref_;
  std::string pending_;    // 'PENDING' [§2.4.2.1]
  bool reporting_ = true;  // false in the first pass: Ingestion() only decides
  bool hit_ = false;
};

std::string RouteIdKey(const Event& e) {
  return fmt::format("{}|{}", e.event_date(), StripZeros(e.Get("routedOrderID")));
}

bool Checker::RouteKey(const Event& e, bool sender, std::string* out, bool* exchange) const {
  const std::string_view roid = e.Get("routedOrderID");
  const std::string_view sender_imid = e.Get("senderIMID");
  if (roid.empty() || e.event_date() == 0) return false;
  if (sender) {
    // A modify that reuses the routedOrderID restates its route's key [§4.3.1; dupROIDCond].
    if (e.Get("dupROIDCond") == "true") return false;
    const std::string_view type = e.Get("destinationType");
    *exchange = type == "E";
    if (type != "E" && type != "F" && type != "O") return false;  // N: no linkage [§2.6.3.4]
    out->clear();
    fmt::format_to(std::back_inserter(*out), "{}|{}|{}|{}|{}", e.event_date(), sender_imid, e.Get("destination"),
                   Symbol(e), StripZeros(roid));
    if (*exchange) fmt::format_to(std::back_inserter(*out), "|{}", StripZeros(e.Get("session")));
    return true;
  }
  if (sender_imid.empty()) return false;  // not received from another reporter
  *exchange = e.Get("senderType") == "E";
  out->clear();
  fmt::format_to(std::back_inserter(*out), "{}|{}|{}|{}|{}", e.event_date(), sender_imid, e.Get("receiverIMID"),
                 Symbol(e), StripZeros(roid));
  return true;
}

void Checker::Pass1(const Event& e, const FileCtx& c) {
  if (!e.spec() || e.action_type() == "DEL") return;
  const std::string_view imid = Imid(e, c);
  imids_.emplace(imid);
  reporting_ = false;
  const bool rejected = Ingestion(e, c);
  reporting_ = true;
  if (rejected) return;
  if (e.event_date() > max_date_) max_date_ = e.event_date();
  if (e.action_type() != "COR" && e.Has("firmROEID")) {
    ++roe_[RoeHash(e.event_date(), imid, e.Get("firmROEID"))];
  }
  const int fam = Family(e);
  if (fam >= 0) {
    const KeyFamily& f = rules_.families[fam];
    if (MakeKey(fam, e.Find(f.date), imid, Symbol(e), e.Get(f.id), &scratch_)) {
      if (Assigns(e, fam)) {
        KeyInfo& k = keys_[scratch_];
        if (k.assigned++ == 0) {
          k.family = static_cast<uint8_t>(fam);
          k.event_date = e.event_date();
          k.has_ts = e.event_date() != 0;
          k.sort_key = e.event_timestamp().SortKey();
          ++summary_->keys;
        }
        const Field* tif = e.Find("timeInForce");
        if (tif && tif->kind == JsonKind::kObject) {
          const size_t q = tif->value.find('"');
          const size_t q2 = q == std::string_view::npos ? q : tif->value.find('"', q + 1);
          if (q2 != std::string_view::npos) {
            k.multi_day = rules_.multi_day_tif.count(tif->value.substr(q + 1, q2 - q - 1)) > 0;
          }
        }
      }
      if (fam == 0 && e.Get("leavesQty") == "0") {
        int32_t& d = closed_[scratch_];
        if (d == 0 || e.event_date() < d) d = e.event_date();
      }
    }
  }
  bool exchange = false;
  if (rules_.route_senders.count(e.type()) && RouteKey(e, true, &scratch_, &exchange)) {
    ++sent_[scratch_];
    ++summary_->routes;
    if (!exchange) {
      sent_by_id_[RouteIdKey(e)].push_back(
          RouteSide{std::string(e.Get("senderIMID")), std::string(e.Get("destination")), std::string(Symbol(e))});
    }
  }
  if (rules_.route_receivers.count(e.type()) && RouteKey(e, false, &scratch_, &exchange)) {
    ++received_[scratch_];
    if (!exchange) {
      received_by_id_[RouteIdKey(e)].push_back(
          RouteSide{std::string(e.Get("senderIMID")), std::string(e.Get("receiverIMID")), std::string(Symbol(e))});
    }
  }
}

void Checker::CheckOrderRef(const Event& e, const FileCtx& c, std::string_view array, int element, int code) {
  const Field* id = e.FindNested(array, "orderID", element);
  if (!id || id->value.empty()) return;
  const Field* orig = e.FindNested(array, "originatingIMID", element);
  const std::string_view imid = orig && !orig->value.empty() ? orig->value : Imid(e, c);
  StoredKey found;
  if (!MakeKey(0, e.FindNested(array, "orderKeyDate", element), imid, Symbol(e), id->value, &scratch_) ||
      !Resolve(scratch_, e.event_date(), &found)) {
    Report(e, c, code, "linkage.key_not_found", fmt::format("{}[{}].orderID", array, element),
           fmt::format("The order named in {} is not among the events checked nor in the multi-day store.", array));
  }
}

void Checker::Pass2(const Event& e, const FileCtx& c) {
  ++summary_->events;
  if (!e.spec() || e.action_type() == "DEL") return;
  if (Ingestion(e, c)) return;
  const std::string_view imid = Imid(e, c);
  const std::string_view roe = e.Get("firmROEID");
  // 1. firmROEID unique [§2.3.3; 3002].
  if (e.action_type() != "COR" && !roe.empty() &&
      roe_[RoeHash(e.event_date(), imid, roe)] > 1) {
    Report(e, c, rules_.Code("duplicate_firm_roe_id"), "linkage.duplicate_firm_roe_id", "firmROEID",
           "Another event of this Event Date and IMID has the same firmROEID: CAT rejects all of them.");
  }
  // 2-4. Event keys, references, sequence.
  const int fam = Family(e);
  if (fam >= 0) {
    const KeyFamily& f = rules_.families[fam];
    std::string& own = own_;
    const bool has_own = MakeKey(fam, e.Find(f.date), imid, Symbol(e), e.Get(f.id), &own);
    const auto* prior = Prior(e, fam);
    if (has_own && Assigns(e, fam)) {
      auto it = keys_.find(own);
      std::optional<StoredKey> earlier = store_ ? store_->Find(own) : std::nullopt;
      if (it != keys_.end() && it->second.assigned > 1) {
        Report(e, c, f.same_day, "linkage.duplicate_key", f.id,
               fmt::format("Another event assigns the same {} key: CAT rejects every event carrying it.", f.name));
      } else if (earlier && earlier->event_date < e.event_date()) {
        Report(e, c, f.prior_day, "linkage.duplicate_key", f.id,
               fmt::format("An event of an earlier day assigned the same {} key.", f.name));
      }
    }
    std::string& ref = ref_;
    std::string_view ref_field = f.id;
    bool has_ref = false;
    if (prior) {
      const std::string_view orig = e.Get("originatingIMID");
      has_ref = MakeKey(fam, e.Find(prior->first), orig.empty() ? imid : orig, Symbol(e), e.Get(prior->second), &ref);
      ref_field = prior->second;
    } else if (!rules_.primary.count(e.type())) {
      const std::string_view orig = e.Get("originatingIMID");
      has_ref = MakeKey(fam, e.Find(f.date), orig.empty() ? imid : orig, Symbol(e), e.Get(f.id), &ref);
    }
    auto dup = has_ref ? keys_.find(ref) : keys_.end();
    if (dup != keys_.end() && dup->second.assigned > 1) {
      // [App. E 3004...] every event associated with a duplicated key is rejected, secondaries included.
      Report(e, c, f.same_day, "linkage.duplicate_key", ref_field,
             fmt::format("The {} key this event carries is assigned by more than one event: CAT rejects them all.",
                         f.name));
    } else if (has_ref) {
      StoredKey found;
      if (!Resolve(ref, e.event_date(), &found)) {
        Report(e, c, rules_.Code("key_not_found"), "linkage.key_not_found", ref_field,
               fmt::format("No event assigns the {} key this secondary event references (today or in the "
                           "multi-day store).", f.name));
      } else if (e.event_date() != 0 && found.sort_key != INT64_MIN &&
                 e.event_timestamp().SortKey() + options_.clock_drift_ns < found.sort_key) {
        Report(e, c, rules_.Code("out_of_sequence"), "linkage.out_of_sequence", "eventTimestamp",
               "eventTimestamp is before the event that assigned the key it references.");
      }
      auto sup = rules_.supplements.find(e.type());
      if (sup != rules_.supplements.end() && e.event_date() != 0) {
        auto it = keys_.find(ref);
        if (it != keys_.end() && it->second.has_ts &&
            it->second.sort_key / 1'000'000 != e.event_timestamp().SortKey() / 1'000'000) {
          Report(e, c, rules_.Code("supplement_timestamp"), "linkage.supplement_timestamp", "eventTimestamp",
                 "A supplement's eventTimestamp must equal its parent's to the millisecond.");
        }
      }
    }
  }
  for (const linkage::SideReference& s : rules_.side_references) {
    const int n = e.ElementCount(s.array);
    for (int i = 0; i < n; ++i) CheckOrderRef(e, c, s.array, i, s.code);
  }
  if (!e.Get("manualOrderID").empty()) {
    StoredKey found;
    const std::string_view orig = e.Get("originatingIMID");
    if (!MakeKey(0, e.Find("manualOrderKeyDate"), orig.empty() ? imid : orig, Symbol(e), e.Get("manualOrderID"),
                 &scratch_) ||
        !Resolve(scratch_, e.event_date(), &found)) {
      Report(e, c, rules_.Code("manual_key_not_found"), "linkage.key_not_found", "manualOrderID",
             "The manual order this electronic duplicate names is not found.");
    }
  }
  RouteLinks(e, c);
}

bool Checker::Ingestion(const Event& e, const FileCtx& c) {
  hit_ = false;
  const std::string_view imid = Imid(e, c);
  // firmROEID [§2.3.3; 2032, 2033].
  const std::string_view roe = e.Get("firmROEID");
  int32_t roe_date = 0;
  if (roe.size() < 10 || roe.size() > 64 || roe[8] != '_' || !internal::ParseYmd(roe.substr(0, 8), &roe_date)) {
    Report(e, c, rules_.Code("firm_roe_id_format"), "linkage.firm_roe_id", "firmROEID",
           "firmROEID is not <Event Date>_<identifier> (Text(64)).");
  } else if (e.event_date() != 0 && roe_date != e.event_date()) {
    Report(e, c, rules_.Code("firm_roe_id_date"), "linkage.firm_roe_id", "firmROEID",
           "The date part of firmROEID is not the Event Date of eventTimestamp.");
  }
  // A prior or parent key equal to the own key [2190].
  const int fam = Family(e);
  if (fam >= 0) {
    const KeyFamily& f = rules_.families[fam];
    const auto* prior = Prior(e, fam);
    std::string& own = own_;
    std::string& ref = ref_;
    if (prior && MakeKey(fam, e.Find(f.date), imid, Symbol(e), e.Get(f.id), &own) &&
        MakeKey(fam, e.Find(prior->first), imid, Symbol(e), e.Get(prior->second), &ref) && own == ref) {
      Report(e, c, rules_.Code("prior_equals_own_key"), "linkage.prior_key", prior->second,
             "The prior or parent key equals the event's own key.");
    }
  }
  RouteFields(e, c);
  CheckRepresentative(e, c);
  // A supplement carrying 'PENDING' is rejected at ingestion (2270); `txn reconcile` reports it, so it is only
  // kept out of linkage here.
  if (rules_.supplements.count(e.type()) && e.Get("firmDesignatedID") == pending_) hit_ = true;
  return hit_;
}

void Checker::RouteFields(const Event& e, const FileCtx& c) {
  const bool is_sender = rules_.route_senders.count(e.type()) > 0;
  const bool is_receiver = rules_.route_receivers.count(e.type()) > 0;
  if (!is_sender && !is_receiver) return;
  const std::string_view sender = e.Get("senderIMID");
  const std::string_view roid = e.Get("routedOrderID");
  const bool manual = e.Get("manualFlag") == "true";
  if (is_sender) {
    const std::string_view type = e.Get("destinationType");
    const std::string_view dest = e.Get("destination");
    if ((type == "F" || type == "E" || type == "O") && roid.empty() && !manual) {
      Report(e, c, rules_.Code("routed_order_id"), "linkage.route", "routedOrderID",
             "A route to an Industry Member or exchange needs routedOrderID unless it is manual.");
    }
    if (type == "E" && e.Get("session").empty()) {
      Report(e, c, rules_.Code("session"), "linkage.route", "session", "A route to an exchange needs session.");
    }
    if (!sender.empty() && sender == dest) {
      Report(e, c, rules_.Code("sender_equals_destination"), "linkage.route", "destination",
             "senderIMID equals destination.");
    }
    if ((type == "F" || type == "O" || type == "E") && !IsCrdImid(sender)) {
      Report(e, c, rules_.Code("sender_imid"), "linkage.route", "senderIMID", "senderIMID is not CRD:IMID.");
    }
    if ((type == "F" || type == "O") && !IsCrdImid(dest)) {
      Report(e, c, rules_.Code("destination"), "linkage.route", "destination",
             "destination of a route to an Industry Member is not CRD:IMID.");
    }
  }
  if (is_receiver && !sender.empty()) {
    const std::string_view receiver = e.Get("receiverIMID");
    const std::string_view sender_type = e.Get("senderType");
    if (!receiver.empty() && sender == receiver) {
      Report(e, c, rules_.Code("sender_equals_destination"), "linkage.route", "receiverIMID",
             "senderIMID equals receiverIMID.");
    }
    if (sender_type == "F" || sender_type == "O") {
      if (!IsCrdImid(sender)) {
        Report(e, c, rules_.Code("sender_imid"), "linkage.route", "senderIMID", "senderIMID is not CRD:IMID.");
      }
      if (!IsCrdImid(receiver)) {
        Report(e, c, rules_.Code("receiver_imid"), "linkage.route", "receiverIMID", "receiverIMID is not CRD:IMID.");
      }
    }
  }
}

void Checker::RouteLinks(const Event& e, const FileCtx& c) {
  const bool is_sender = rules_.route_senders.count(e.type()) > 0;
  const bool is_receiver = rules_.route_receivers.count(e.type()) > 0;
  const std::string_view sender = e.Get("senderIMID");
  bool exchange = false;
  if (is_sender) {
    const std::string_view type = e.Get("destinationType");
    const std::string_view dest = e.Get("destination");
    if (RouteKey(e, true, &scratch_, &exchange)) {
      auto it = sent_.find(scratch_);
      if (it != sent_.end() && it->second > 1) {
        Report(e, c, rules_.Code(exchange ? "duplicate_route_to_exchange" : "duplicate_route_to_im"),
               "linkage.duplicate_route_key", "routedOrderID",
               "Another route has the same Route Linkage Key (leading zeros stripped): CAT leaves them unlinked.");
      }
      // [§2.6.3.1; Table 6] both sides in the input: the receiver must have accepted it, unless rejected.
      if (type == "F" && e.Get("routeRejectedFlag") != "true" && !received_.count(scratch_)) {
        Unlinked(e, c, true, imids_.count(std::string(Suffix(dest))) > 0);
      }
    }
  }
  if (is_receiver && !sender.empty()) {
    const std::string_view sender_type = e.Get("senderType");
    if (RouteKey(e, false, &scratch_, &exchange)) {
      auto it = received_.find(scratch_);
      if (it != received_.end() && it->second > 1) {
        Report(e, c, rules_.Code(exchange ? "duplicate_accept_from_exchange" : "duplicate_accept_from_im"),
               "linkage.duplicate_route_key", "routedOrderID",
               "Another accept has the same Route Linkage Key (leading zeros stripped): CAT leaves them unlinked.");
      }
      if (sender_type == "F" && !sent_.count(scratch_)) {
        Unlinked(e, c, false, imids_.count(std::string(Suffix(sender))) > 0);
      }
    }
  }
}

void Checker::Unlinked(const Event& e, const FileCtx& c, bool sender, bool counterparty_in_input) {
  const auto& other = sender ? received_by_id_ : sent_by_id_;
  const std::string_view me_sender = e.Get("senderIMID");
  const std::string_view me_counterpart = e.Get(sender ? "destination" : "receiverIMID");
  const std::string_view me_symbol = Symbol(e);
  auto it = other.find(RouteIdKey(e));
  if (it == other.end() || it->second.empty()) {
    if (!counterparty_in_input) return;  // the other side is not ours to see
    if (sender) {
      Report(e, c, rules_.Code("route_not_accepted"), "linkage.unlinked_route", "routedOrderID",
             "The receiving IMID is in the input, but no accept carries this route's routedOrderID.");
    } else {
      Report(e, c, rules_.Code("accept_not_routed"), "linkage.unlinked_route", "routedOrderID",
             "The sending IMID is in the input, but no route carries this accept's routedOrderID.");
    }
    return;
  }
  int best = 4;
  bool d_sender = false, d_counterpart = false;  // else the symbol
  for (const RouteSide& s : it->second) {
    const bool a = s.sender != me_sender, b = s.counterpart != me_counterpart, y = s.symbol != me_symbol;
    const int n = int{a} + int{b} + int{y};
    if (n < best) {
      best = n;
      d_sender = a;
      d_counterpart = b;
    }
  }
  if (best == 0) return;  // matched after all (cannot happen: the key would have matched)
  std::string_view code_name, field;
  if (best > 1) {
    code_name = sender ? "route_multiple" : "accept_multiple";
    field = "routedOrderID";
  } else if (d_sender) {
    code_name = sender ? "route_sender_imid" : "accept_sender_imid";
    field = "senderIMID";
  } else if (d_counterpart) {
    code_name = sender ? "route_destination" : "accept_receiver_imid";
    field = sender ? "destination" : "receiverIMID";
  } else {
    code_name = sender ? "route_symbol" : "accept_symbol";
    field = "symbol";
  }
  Report(e, c, rules_.Code(code_name), "linkage.unlinked_route", field,
         sender ? "An accept with this routedOrderID exists, but the Route Linkage Key differs in this field."
                : "A route with this routedOrderID exists, but the Route Linkage Key differs in this field.");
}

// [App. C Tables 166-167; 2142, 2145].
void Checker::CheckRepresentative(const Event& e, const FileCtx& c) {
  const std::string_view ind = e.Get("representativeInd");
  if (!ind.empty()) {
    const bool agg = e.ElementCount("aggregatedOrders") > 0;
    if ((rules_.linkage_required.count(ind) && !agg) || (rules_.aggregated_orders_blank.count(ind) && agg)) {
      Report(e, c, rules_.Code("aggregated_orders_combination"), "linkage.representative", "aggregatedOrders",
             "representativeInd and aggregatedOrders do not agree.");
    }
  }
  const std::string_view link = e.Get("fulfillmentLinkType");
  if (link.empty() || !rules_.primary.count(e.type())) return;  // amendments restate firmDetails only if changed
  const bool present = e.ElementCount("firmDetails") > 0;
  const Field* order = e.FindNested("firmDetails", "orderID", 0);
  const Field* fdid = e.FindNested("firmDetails", "firmDesignatedID", 0);
  const bool has_order = order && !order->value.empty();
  const bool has_fdid = fdid && !fdid->value.empty();
  if ((rules_.firm_details_order.count(link) && !has_order) ||
      (rules_.firm_details_fdid.count(link) && (!has_fdid || has_order)) ||
      (rules_.firm_details_blank.count(link) && present)) {
    Report(e, c, rules_.Code("firm_details_combination"), "linkage.representative", "firmDetails",
           "fulfillmentLinkType and firmDetails do not agree.");
  }
}

Status Checker::Finish() {
  if (!store_ || !options_.update_store) return Status::OK();
  std::vector<std::pair<std::string, StoredKey>> put;
  std::vector<std::pair<std::string, int32_t>> close(closed_.begin(), closed_.end());
  for (const auto& [key, k] : keys_) {
    const std::string& fam = rules_.families[k.family].name;
    if ((fam == "order" && k.multi_day) || fam == "allocation") {
      auto c = closed_.find(key);
      put.emplace_back(key, StoredKey{k.sort_key, k.event_date, c == closed_.end() ? 0 : c->second});
    }
  }
  summary_->stored = static_cast<int64_t>(put.size());
  // Allocation keys are kept 30 days for next-day amendments [Caisson convention].
  const int32_t prune = max_date_ == 0 ? 0 : internal::AddDays(max_date_, -30);
  return store_->Apply(put, close, prune);
}

// Folders hold order-event files by name [§6.1.1] (*_OrderEvents_*.json[.bz2]), read in name order; a file named
// directly is always read. The same rule as txn reconcile's.
Status ExpandPaths(const std::vector<std::filesystem::path>& paths, std::vector<std::filesystem::path>* files) {
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      files->push_back(p);
      continue;
    }
    std::vector<std::filesystem::path> in_dir;
    for (auto it = std::filesystem::directory_iterator(p, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
      const std::string n = it->path().filename().string();
      if (it->is_regular_file(ec) && (n.ends_with(".json") || n.ends_with(".json.bz2")) &&
          n.find("_OrderEvents_") != std::string::npos) {
        in_dir.push_back(it->path());
      }
    }
    if (ec) return Status::IOError(p.string(), ec.message());
    std::sort(in_dir.begin(), in_dir.end());
    files->insert(files->end(), in_dir.begin(), in_dir.end());
  }
  return Status::OK();
}

}  // namespace

Status CheckLinkage(const Catalogue& catalogue, const std::vector<std::filesystem::path>& paths,
                    const LinkageOptions& options, std::vector<Finding>* findings, LinkageSummary* summary) {
  Result<Rules> rules = linkage::LoadRules(options.rules);
  if (!rules.ok()) return rules.status();
  std::unique_ptr<OrderStore> store;
  if (!options.store.empty()) {
    Result<std::unique_ptr<OrderStore>> opened = OrderStore::Open(options.store);
    if (!opened.ok()) return opened.status();
    store = std::move(opened.value());
  }
  std::vector<std::filesystem::path> files;
  CAISSON_RETURN_IF_ERROR(ExpandPaths(paths, &files));
  Checker checker(*rules, options, store.get(), findings, summary, catalogue.pending_value());
  ReaderOptions reader_options;
  EventReader reader(catalogue, reader_options);
  std::vector<Finding> again;  // the reader's findings of the second pass repeat the first's
  for (int pass = 1; pass <= 2; ++pass) {
    for (const std::filesystem::path& path : files) {
      CAISSON_RETURN_IF_ERROR(reader.Open(path, pass == 1 ? findings : &again));
      if (pass == 1) ++summary->files;
      const FileCtx ctx{reader.display_name(), reader.file_name().reporter_imid};
      const Event* e = nullptr;
      while (reader.Next(&e)) {
        if (pass == 1) {
          checker.Pass1(*e, ctx);
        } else {
          checker.Pass2(*e, ctx);
        }
      }
      again.clear();
    }
  }
  return checker.Finish();
}

}  // namespace caisson::txn
