// Private to src/fix: the Converter's state (Converter::Rep), shared by convert.cc (client side) and
// convert_street.cc (fills, routes, allocations).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "fix/fix.h"
#include "fix/internal.h"

namespace caisson::fix {
namespace internal {

struct Order {
  std::string client;          // the client's CompID
  std::string cl_ord_id;       // current ClOrdID
  std::string order_id;        // the firm's orderID (37); empty until acknowledged
  std::string order_key_date;  // when the orderID was assigned: the receipt time [Caisson convention]
  std::string symbol;
  std::string fdid;
  std::string account_holder_type;
  Owned new_order;             // the NewOrderSingle, until the acknowledgement makes the MENO
  Terms terms;
  std::string leaves;          // leavesQty as last known
  std::vector<std::string> routes;  // keys of routes waiting for this order's orderID
  int open_routes = 0;         // routes of this order not yet written
  bool routed = false;
  bool broken = false;         // a finding was made; later events of this order are not written
  bool closed = false;         // leavesQty 0: forgotten once its routes are written (memory ~ open orders)
};

struct Route {
  std::string order;           // key of the order in Rep::orders
  Owned msg;                   // the NewOrderSingle sent to the street
  const Session* session = nullptr;
  bool answered = false;
  bool rejected = false;
};

inline std::string Key(std::string_view a, std::string_view b) {
  std::string k(a);
  k.push_back('\x01');
  k.append(b);
  return k;
}

// [§2.3.3] firmROEID = <Event Date>_<id>, unique per Event Date and IMID. The id is the message identity
// (SenderCompID.TargetCompID.MsgSeqNum.n) [Caisson convention], made Text(64)-safe.
inline std::string RoeId(const Owned& m, std::string_view date, int n) {
  std::string id = fmt::format("{}_{}.{}.{}.{}", date, m.Get(49), m.Get(56), m.Get(34), n);
  for (char& c : id) {
    if (c == ',' || c == '|' || c == '"' || c == '@' || static_cast<unsigned char>(c) < 32 ||
        static_cast<unsigned char>(c) > 126) {
      c = '_';
    }
  }
  if (id.size() > 64) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a of the long id keeps it unique and stable
    for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
    id = fmt::format("{}_{:016x}", date, h);
  }
  return id;
}

}  // namespace internal

struct Converter::Rep {
  const Map& map;
  Sink sink;
  std::vector<Finding>* findings;
  // key: client + ClOrdID of the first NewOrderSingle
  std::unordered_map<std::string, internal::Order> orders;
  std::unordered_map<std::string, std::string> by_clordid; // client + current ClOrdID → order key
  std::unordered_map<std::string, std::string> by_orderid; // firm orderID → order key
  std::unordered_map<std::string, std::string> by_any_clordid;  // current ClOrdID, any client → order key
                                                                // ("" when two clients use the same one)
  std::unordered_map<std::string, internal::Route> routes;   // street CompID + ClOrdID → route
  std::unordered_map<std::string, internal::Owned> pending;  // client + ClOrdID of a G or F → the request
  std::unordered_map<std::string, std::string> fdid_of;    // client ClOrdID → FDID, for newOrderFDID
  std::unordered_map<std::string, std::string> alloc_key_date;  // allocationID → allocationKeyDate
  Summary* summary = nullptr;

  Rep(const Map& m, Sink s, std::vector<Finding>* f) : map(m), sink(std::move(s)), findings(f) {}

  void Find(const internal::Owned& m, std::string_view rule, std::string_view field, std::string message,
            Severity severity = Severity::kReject) {
    Finding f;
    f.rule = std::string(rule);
    f.severity = severity;
    f.record = RecordKind::kFile;
    f.file = m.file;
    f.line = m.line;
    f.field = std::string(field);
    f.message = std::move(message);
    findings->push_back(std::move(f));
  }

  bool FromFirm(const internal::Owned& m) const {
    for (const std::string& c : map.comp_ids) {
      if (m.Get(49) == c) return true;
    }
    return false;
  }

  // [§8.3 tag 60] the event time is TransactTime, else SendingTime [Caisson convention].
  bool Time(const internal::Owned& m, internal::Stamp* s) {
    std::string_view t = m.Get(60);
    if (t.empty()) t = m.Get(52);
    if (!internal::ToStamp(t, s)) {
      Find(m, "fix.timestamp", m.Get(60).empty() ? "52" : "60",
           "TransactTime (60) / SendingTime (52) is not a UTCTimestamp.");
      return false;
    }
    return true;
  }

  void Emit(std::string_view type, std::string_view date, std::string json) {
    Event e{std::string(type), std::string(date), std::move(json)};
    sink(e);
    if (summary) ++summary->events;
  }

  void Head(internal::Json* j, const internal::Owned& m, std::string_view date, std::string_view type, int n) {
    j->Str("actionType", "NEW");
    j->Str("firmROEID", internal::RoeId(m, date, n));
    j->Str("type", type);
    j->Str("CATReporterIMID", map.reporter_imid);
  }

  void TermsFields(internal::Json* j, const internal::Terms& t, std::string_view date, bool with_iso) {
    j->Str("side", t.side);
    j->Raw("price", t.price);
    j->Raw("quantity", t.quantity);
    j->Raw("minQty", t.min_qty);
    j->Str("orderType", t.order_type);
    std::string tif;
    internal::TimeInForceJson(t, date, &tif);
    j->Raw("timeInForce", tif);
    j->Str("tradingSession", map.trading_session);
    if (with_iso) j->Str("isoInd", t.iso);
  }

  static std::string HandlingJson(const internal::Terms& t) {
    if (t.hi.empty()) return {};
    internal::Json h;
    for (const auto& [k, v] : t.hi) h.Raw(k, v);
    return h.Done();
  }

  internal::Order* OrderByClOrdId(std::string_view client, std::string_view cl_ord_id) {
    auto it = by_clordid.find(internal::Key(client, cl_ord_id));
    if (it == by_clordid.end()) return nullptr;
    auto o = orders.find(it->second);
    return o == orders.end() ? nullptr : &o->second;
  }

  // Client side (convert.cc).
  void ClientNewOrder(const internal::Owned& m);
  void Acknowledge(internal::Order* o, const internal::Owned& er);
  void ClientRequest(const internal::Owned& m);
  void ReplaceConfirmed(const internal::Owned& er);
  void CancelConfirmed(const internal::Owned& er);
  // Fills, routes and allocations (convert_street.cc).
  void ClientFill(internal::Order* o, const internal::Owned& er);
  void RouteOut(const internal::Owned& m, const Session& session);
  void RouteAnswered(const internal::Owned& er);
  void TryRoute(const std::string& rkey);
  void RouteDone(std::unordered_map<std::string, internal::Route>::iterator it);
  void Close(const std::string& client_key);
  void Forget(const std::string& okey);
  void Allocation(const internal::Owned& m);
};

}  // namespace caisson::fix
