// FIX messages → CAT order events (docs/fix.md §2). The message → event table is Caisson's convention
// [cat-transactions.md §8.2]; the event fields and their rules are the spec's [§4.1 MENO, §4.3 MEOR, §4.7 MEOM,
// §4.9 MEOC, §4.11 MEOT, §4.12 MEOF, §4.13 MEPA/MEAA].
//
// The CAT-Order-ID chain: a client's ClOrdID (11) names the order until a replace names a new one, whose
// OrigClOrdID (41) must be the current one; the firm's OrderID (37) on its acknowledgement is the CAT orderID;
// a route carries the order it works in SecondaryClOrdID (526); ExecID (17) is the tradeID / fulfillmentID.
// Whatever does not resolve is a finding, never a guess.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "fix/fix.h"
#include "fix/internal.h"

namespace caisson::fix {

using internal::Json;
using internal::Owned;
using internal::Stamp;
using internal::Terms;

namespace {

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

std::string Key(std::string_view a, std::string_view b) {
  std::string k(a);
  k.push_back('\x01');
  k.append(b);
  return k;
}

// [§2.3.3] firmROEID = <Event Date>_<id>, unique per Event Date and IMID. The id is the message identity
// (SenderCompID.TargetCompID.MsgSeqNum.n) [Caisson convention], made Text(64)-safe.
std::string RoeId(const Owned& m, std::string_view date, int n) {
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

}  // namespace

struct Converter::Rep {
  const Map& map;
  Sink sink;
  std::vector<Finding>* findings;
  std::unordered_map<std::string, Order> orders;           // key: client + ClOrdID of the first NewOrderSingle
  std::unordered_map<std::string, std::string> by_clordid; // client + current ClOrdID → order key
  std::unordered_map<std::string, std::string> by_orderid; // firm orderID → order key
  std::unordered_map<std::string, std::string> by_any_clordid;  // current ClOrdID, any client → order key
                                                                // ("" when two clients use the same one)
  std::unordered_map<std::string, Route> routes;           // street CompID + ClOrdID → route
  std::unordered_map<std::string, Owned> pending;          // client + ClOrdID of a G or F → the request
  std::unordered_map<std::string, std::string> fdid_of;    // client ClOrdID → FDID, for newOrderFDID
  std::unordered_map<std::string, std::string> alloc_key_date;  // allocationID → allocationKeyDate
  Summary* summary = nullptr;

  Rep(const Map& m, Sink s, std::vector<Finding>* f) : map(m), sink(std::move(s)), findings(f) {}

  void Find(const Owned& m, std::string_view rule, std::string_view field, std::string message,
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

  bool FromFirm(const Owned& m) const {
    for (const std::string& c : map.comp_ids) {
      if (m.Get(49) == c) return true;
    }
    return false;
  }

  // [§8.3 tag 60] the event time is TransactTime, else SendingTime [Caisson convention].
  bool Time(const Owned& m, Stamp* s) {
    std::string_view t = m.Get(60);
    if (t.empty()) t = m.Get(52);
    if (!internal::ToStamp(t, s)) {
      Find(m, "fix.timestamp", m.Get(60).empty() ? "52" : "60", "TransactTime (60) / SendingTime (52) is not a UTCTimestamp.");
      return false;
    }
    return true;
  }

  void Emit(std::string_view type, std::string_view date, std::string json) {
    Event e{std::string(type), std::string(date), std::move(json)};
    sink(e);
    if (summary) ++summary->events;
  }

  void Head(Json* j, const Owned& m, std::string_view date, std::string_view type, int n) {
    j->Str("actionType", "NEW");
    j->Str("firmROEID", RoeId(m, date, n));
    j->Str("type", type);
    j->Str("CATReporterIMID", map.reporter_imid);
  }

  void TermsFields(Json* j, const Terms& t, std::string_view date, bool with_iso) {
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

  static std::string HandlingJson(const Terms& t) {
    if (t.hi.empty()) return {};
    Json h;
    for (const auto& [k, v] : t.hi) h.Raw(k, v);
    return h.Done();
  }

  Order* OrderByClOrdId(std::string_view client, std::string_view cl_ord_id) {
    auto it = by_clordid.find(Key(client, cl_ord_id));
    if (it == by_clordid.end()) return nullptr;
    auto o = orders.find(it->second);
    return o == orders.end() ? nullptr : &o->second;
  }

  // --- client side ---------------------------------------------------------------------------------------
  void ClientNewOrder(const Owned& m) {
    const std::string k = Key(m.Get(49), m.Get(11));
    if (m.Get(11).empty()) {
      Find(m, "fix.missing_clordid", "11", "A NewOrderSingle without ClOrdID (11) cannot start a CAT order.");
      return;
    }
    if (orders.count(k) || by_clordid.count(k)) {
      Find(m, "fix.duplicate_clordid", "11", "The client reused a ClOrdID (11) on this session.");
      return;
    }
    Order o;
    o.client = std::string(m.Get(49));
    o.cl_ord_id = std::string(m.Get(11));
    o.symbol = std::string(m.Get(55));
    o.new_order = m;
    std::string field, why;
    if (!internal::ReadTerms(m, &o.terms, &field, &why)) {
      Find(m, "fix.value", field, why + ".");
      o.broken = true;
    }
    if (!internal::IsText(o.symbol, 22)) {
      Find(m, "fix.value", "55", "Symbol (55) is missing or not a CAT symbol.");
      o.broken = true;
    }
    auto acct = map.accounts.find(m.Get(1));
    if (m.Get(1).empty()) {
      Find(m, "fix.no_account", "1", "The order has no Account (1): its firmDesignatedID is unknown.");
      o.broken = true;
    } else if (acct == map.accounts.end()) {
      Find(m, "fix.unmapped_account", "1", "Account (1) is not in the map's [accounts]: no firmDesignatedID.");
      o.broken = true;
    } else {
      o.fdid = acct->second.fdid;
      o.account_holder_type = acct->second.account_holder_type;
      fdid_of[std::string(m.Get(11))] = o.fdid;
    }
    o.leaves = o.terms.quantity;
    by_clordid[k] = k;
    auto [any, fresh] = by_any_clordid.emplace(std::string(m.Get(11)), k);
    if (!fresh) any->second.clear();  // ambiguous across clients: a route cannot name it by ClOrdID
    orders.emplace(k, std::move(o));
  }

  // The acknowledgement names the firm's orderID: the MENO is written now, timed at the receipt [§4.1 #9].
  void Acknowledge(Order* o, const Owned& er) {
    if (!o->order_id.empty()) return;
    const std::string_view order_id = er.Get(37);
    if (!internal::IsText(order_id, 64)) {
      Find(er, "fix.missing_orderid", "37", "The acknowledgement carries no usable OrderID (37) for the CAT orderID.");
      o->broken = true;
      return;
    }
    o->order_id = std::string(order_id);
    by_orderid[o->order_id] = Key(o->client, o->new_order.Get(11));
    if (o->broken) return;
    const Owned& m = o->new_order;
    Stamp s;
    if (!Time(m, &s)) {
      o->broken = true;
      return;
    }
    o->order_key_date = s.text;
    Json j;
    Head(&j, m, s.date, "MENO", 0);
    j.Str("orderKeyDate", o->order_key_date);
    j.Str("orderID", o->order_id);
    j.Str("symbol", o->symbol);
    j.Str("eventTimestamp", s.text);
    j.Bool("manualFlag", o->terms.manual);
    j.Bool("electronicDupFlag", false);
    j.Str("deptType", map.dept_type);
    j.Bool("solicitationFlag", false);
    TermsFields(&j, o->terms, s.date, false);
    j.Raw("handlingInstructions", HandlingJson(o->terms));
    j.Bool("custDspIntrFlag", false);
    j.Str("firmDesignatedID", o->fdid);
    j.Str("accountHolderType", o->account_holder_type);
    j.Bool("affiliateFlag", false);
    j.Bool("negotiatedTradeFlag", false);
    j.Str("representativeInd", "N");
    Emit("MENO", s.date, j.Done());
    o->new_order.fields.clear();  // the MENO is written: the D is not needed any more
    o->new_order.fields.shrink_to_fit();
    std::vector<std::string> waiting;
    waiting.swap(o->routes);
    for (const std::string& rk : waiting) TryRoute(rk);
  }

  void ClientRequest(const Owned& m) {
    if (m.Get(41).empty()) {
      Find(m, "fix.missing_origclordid", "41",
           "A cancel/replace or cancel request without OrigClOrdID (41) cannot be tied to its order.");
      return;
    }
    if (!OrderByClOrdId(m.Get(49), m.Get(41))) {
      Find(m, "fix.unknown_origclordid", "41", "OrigClOrdID (41) names no open order of this client.");
      return;
    }
    pending[Key(m.Get(49), m.Get(11))] = m;
  }

  void ReplaceConfirmed(const Owned& er) {
    const std::string client(er.Get(56));
    const std::string pkey = Key(client, er.Get(11));
    auto p = pending.find(pkey);
    const Owned* request = p == pending.end() ? nullptr : &p->second;
    const std::string_view orig = request ? request->Get(41) : er.Get(41);
    Order* o = OrderByClOrdId(client, orig);
    if (!o) {
      Find(er, "fix.unknown_origclordid", "41", "The replace confirms an order whose OrigClOrdID (41) is unknown.");
      return;
    }
    if (o->order_id.empty()) {
      Find(er, "fix.not_acknowledged", "37", "A replace was confirmed before the order was acknowledged.");
      o->broken = true;
    }
    // The chain moves to the new ClOrdID [§4.7].
    const std::string okey = by_clordid[Key(client, orig)];
    by_clordid.erase(Key(client, orig));
    by_clordid[pkey] = okey;
    by_any_clordid.erase(o->cl_ord_id);
    o->cl_ord_id = std::string(er.Get(11));
    by_any_clordid[o->cl_ord_id] = okey;
    fdid_of[o->cl_ord_id] = o->fdid;
    Terms t;
    std::string field, why;
    if (!internal::ReadTerms(request ? *request : er, &t, &field, &why)) {
      Find(er, "fix.value", field, why + ".");
      o->broken = true;
    }
    Stamp s, req;
    if (o->broken || !Time(er, &s) || (request && !Time(*request, &req))) {
      if (p != pending.end()) pending.erase(p);
      return;
    }
    Json j;
    Head(&j, er, s.date, "MEOM", 0);
    const std::string_view new_id = er.Get(37);
    const bool new_key = !new_id.empty() && new_id != o->order_id;
    if (new_key && !internal::IsText(new_id, 64)) {
      Find(er, "fix.value", "37", "OrderID (37) is not a CAT orderID (Text(64)).");
      return;
    }
    std::string prior_date, prior_id;
    if (new_key) {
      prior_date = o->order_key_date;
      prior_id = o->order_id;
      o->order_id = std::string(new_id);
      o->order_key_date = s.text;
      by_orderid[o->order_id] = okey;
    }
    j.Str("orderKeyDate", o->order_key_date);
    j.Str("orderID", o->order_id);
    j.Str("symbol", o->symbol);
    j.Str("priorOrderKeyDate", prior_date);
    j.Str("priorOrderID", prior_id);
    j.Str("eventTimestamp", s.text);
    j.Bool("manualFlag", t.manual);
    j.Bool("electronicDupFlag", false);
    if (request) j.Str("requestTimestamp", req.text);
    j.Str("initiator", request ? "C" : "F");
    std::string leaves;
    if (!internal::NormalizeDecimal(er.Get(151), 6, &leaves)) leaves = t.quantity;
    o->terms = t;
    o->leaves = leaves;
    j.Str("side", t.side);
    j.Raw("price", t.price);
    j.Raw("quantity", t.quantity);
    j.Raw("minQty", t.min_qty);
    j.Raw("leavesQty", leaves);
    j.Str("orderType", t.order_type);
    std::string tif;
    internal::TimeInForceJson(t, s.date, &tif);
    j.Raw("timeInForce", tif);
    j.Str("tradingSession", map.trading_session);
    j.Str("isoInd", t.iso);
    j.Raw("handlingInstructions", HandlingJson(t));
    j.Bool("custDspIntrFlag", false);
    j.Str("representativeInd", "N");
    Emit("MEOM", s.date, j.Done());
    if (p != pending.end()) pending.erase(p);
  }

  void CancelConfirmed(const Owned& er) {
    const std::string client(er.Get(56));
    const std::string pkey = Key(client, er.Get(11));
    auto p = pending.find(pkey);
    const Owned* request = p == pending.end() ? nullptr : &p->second;
    const std::string_view id = request ? request->Get(41) : er.Get(11);
    Order* o = OrderByClOrdId(client, id);
    if (!o && !request) o = OrderByClOrdId(client, er.Get(41));
    if (!o) {
      Find(er, "fix.unknown_origclordid", "41", "The cancel confirms an order this log never opened.");
      return;
    }
    Stamp s, req;
    if (o->broken || o->order_id.empty() || !Time(er, &s) || (request && !Time(*request, &req))) {
      if (o->order_id.empty()) Find(er, "fix.not_acknowledged", "37", "A cancel was confirmed before the order was acknowledged.");
      if (p != pending.end()) pending.erase(p);
      return;
    }
    std::string leaves = "0";
    if (!er.Get(151).empty()) internal::NormalizeDecimal(er.Get(151), 6, &leaves);
    std::string cancel_qty;
    if (!internal::NormalizeDecimal(er.Get(84), 6, &cancel_qty)) cancel_qty = o->leaves.empty() ? "0" : o->leaves;
    Json j;
    Head(&j, er, s.date, "MEOC", 0);
    j.Str("orderKeyDate", o->order_key_date);
    j.Str("orderID", o->order_id);
    j.Str("symbol", o->symbol);
    j.Str("eventTimestamp", s.text);
    j.Bool("manualFlag", false);
    j.Raw("cancelQty", cancel_qty);
    j.Raw("leavesQty", leaves);
    j.Str("initiator", request ? "C" : "F");
    if (request) j.Str("requestTimestamp", req.text);
    Emit("MEOC", s.date, j.Done());
    o->leaves = leaves;
    if (p != pending.end()) pending.erase(p);
    if (leaves == "0") Close(Key(o->client, o->cl_ord_id));
  }

  // A fill the firm gives its client. Agency fills of a routed order repeat the venue's execution, which the
  // venue reports: no event. Principal fills are the firm's own trade (MEOT, both sides detailed); riskless
  // principal fills are a fulfillment (MEOF) [Caisson convention, docs/fix.md §2].
  void ClientFill(Order* o, const Owned& er) {
    if (!internal::NormalizeDecimal(er.Get(151), 6, &o->leaves)) o->leaves.clear();
    struct CloseAtEnd {  // after the fill's event is written
      Rep* rep;
      Order* order;
      ~CloseAtEnd() {
        if (order->leaves == "0") rep->Close(Key(order->client, order->cl_ord_id));
      }
    } close_at_end{this, o};
    const std::string_view cap = er.Get(29);
    const bool principal = cap == "3" || cap == "4";
    const bool riskless = er.Get(528) == "R";
    if (!principal && !riskless) {
      if (o->routed) {
        if (summary) ++summary->not_reported;
        return;
      }
      Find(er, "fix.unsourced_fill", "29",
           "An agency fill on an order never routed: the executing venue is unknown, no event is written.");
      return;
    }
    if (o->broken || o->order_id.empty()) {
      Find(er, "fix.not_acknowledged", "37", "A fill on an order that was never acknowledged.");
      return;
    }
    Stamp s;
    if (!Time(er, &s)) return;
    std::string qty, px;
    if (!internal::NormalizeDecimal(er.Get(32), 6, &qty) || !internal::NormalizeDecimal(er.Get(31), 8, &px)) {
      Find(er, "fix.value", er.Get(32).empty() ? "32" : "31", "LastQty (32) / LastPx (31) is not a CAT quantity / price.");
      return;
    }
    if (!internal::IsText(er.Get(17), 64)) {
      Find(er, "fix.missing_execid", "17", "The fill has no ExecID (17) for the CAT trade / fulfillment ID.");
      return;
    }
    if (map.principal_fdid.empty()) {
      Find(er, "fix.no_principal_account", "29", "A principal fill needs [firm] principal_fdid in the map.");
      return;
    }
    const std::string contra_side = o->terms.side == "B" ? "SL" : "B";
    Json client;
    client.Str("orderKeyDate", o->order_key_date);
    client.Str("orderID", o->order_id);
    client.Str("side", o->terms.side);
    Json firm;
    firm.Str("side", contra_side);
    firm.Str("firmDesignatedID", map.principal_fdid);
    firm.Str("accountHolderType", map.principal_account_holder_type);
    const std::string client_json = "[" + client.Done() + "]";
    const std::string firm_json = "[" + firm.Done() + "]";
    Json j;
    if (principal) {
      if (er.Get(1003).empty() || map.market_center_id.empty()) {
        Find(er, "fix.no_tape_trade_id", "1003",
             "A principal fill needs TradeID (1003) and [firm] market_center_id for tapeTradeID / marketCenterID.");
        return;
      }
      Head(&j, er, s.date, "MEOT", 0);
      j.Str("tradeKeyDate", s.text);
      j.Str("tradeID", er.Get(17));
      j.Str("symbol", o->symbol);
      j.Str("eventTimestamp", s.text);
      j.Bool("manualFlag", false);
      j.Bool("cancelFlag", false);
      j.Raw("quantity", qty);
      j.Raw("price", px);
      j.Str("capacity", "P");  // [Table 48 #18] capacity P when a side carries an FDID
      j.Str("tapeTradeID", er.Get(1003));
      j.Str("marketCenterID", map.market_center_id);
      j.Str("sideDetailsInd", "NA");
      j.Raw("buyDetails", o->terms.side == "B" ? client_json : firm_json);
      j.Raw("sellDetails", o->terms.side == "B" ? firm_json : client_json);
      j.Bool("multiLegInd", false);
      Emit("MEOT", s.date, j.Done());
    } else {
      Head(&j, er, s.date, "MEOF", 0);
      j.Str("fillKeyDate", s.text);
      j.Str("fulfillmentID", er.Get(17));
      j.Str("symbol", o->symbol);
      j.Str("eventTimestamp", s.text);
      j.Bool("manualFlag", false);
      j.Str("fulfillmentLinkType", "YE");
      j.Bool("cancelFlag", false);
      j.Raw("quantity", qty);
      j.Raw("price", px);
      j.Str("capacity", "R");
      j.Raw("clientDetails", client_json);
      j.Raw("firmDetails", firm_json);
      Emit("MEOF", s.date, j.Done());
    }
  }

  // --- street side -----------------------------------------------------------------------------------------
  void RouteOut(const Owned& m, const Session& session) {
    const std::string rkey = Key(m.Get(56), m.Get(11));
    if (!internal::IsText(m.Get(11), 64)) {
      Find(m, "fix.missing_clordid", "11", "A route without a usable ClOrdID (11) has no routedOrderID.");
      return;
    }
    if (routes.count(rkey)) {
      // [§2.6.3.1 fn 6] ClOrdIDs must be unique on the session; a reuse would duplicate the route key.
      Find(m, "fix.duplicate_clordid", "11", "The firm reused a ClOrdID (11) on this street session.");
      return;
    }
    // The route names the order it works in SecondaryClOrdID (526): the firm's orderID, or the client's ClOrdID.
    const std::string_view parent = m.Get(526);
    std::string okey;
    if (!parent.empty()) {
      auto by_id = by_orderid.find(std::string(parent));
      if (by_id != by_orderid.end()) {
        okey = by_id->second;
      } else {
        auto any = by_any_clordid.find(std::string(parent));
        if (any != by_any_clordid.end()) okey = any->second;
      }
    }
    if (okey.empty()) {
      Find(m, "fix.route_unlinked", "526",
           "The route does not name its order in SecondaryClOrdID (526): the chain is broken at this boundary.");
      return;
    }
    Order& o = orders[okey];
    o.routed = true;
    ++o.open_routes;
    Route r;
    r.order = okey;
    r.msg = m;
    r.session = &session;
    routes.emplace(rkey, std::move(r));
    if (o.order_id.empty()) o.routes.push_back(rkey);
  }

  void RouteAnswered(const Owned& er) {
    const std::string rkey = Key(er.Get(49), er.Get(11));
    auto it = routes.find(rkey);
    if (it == routes.end()) {
      if (summary) ++summary->not_reported;
      return;
    }
    if (it->second.answered) return;
    it->second.answered = true;
    it->second.rejected = er.Get(150) == "8";
    TryRoute(rkey);
  }

  // [§4.3] MEOR, written once the route is answered and its order has an orderID.
  void TryRoute(const std::string& rkey) {
    auto it = routes.find(rkey);
    if (it == routes.end() || !it->second.answered) return;
    Route& r = it->second;
    Order& o = orders[r.order];
    if (o.order_id.empty()) return;
    if (o.broken) {
      RouteDone(it);
      return;
    }
    const Owned& m = r.msg;
    Terms t;
    std::string field, why;
    Stamp s;
    if (!internal::ReadTerms(m, &t, &field, &why)) {
      Find(m, "fix.value", field, why + ".");
    } else if (Time(m, &s)) {
      const bool exchange = r.session->kind == Session::Kind::kExchange;
      Json j;
      Head(&j, m, s.date, "MEOR", 0);
      j.Str("orderKeyDate", o.order_key_date);
      j.Str("orderID", o.order_id);
      j.Str("symbol", o.symbol);
      j.Str("eventTimestamp", s.text);
      j.Bool("manualFlag", t.manual);
      j.Bool("electronicDupFlag", false);
      j.Str("senderIMID", r.session->sender_imid);
      j.Str("destination", r.session->destination);
      j.Str("destinationType", exchange ? "E" : "F");
      j.Str("routedOrderID", m.Get(11));  // [§2.6.3.2] exactly as sent
      if (exchange) j.Str("session", r.session->session);
      TermsFields(&j, t, s.date, false);
      j.Bool("affiliateFlag", r.session->affiliate);
      j.Str("isoInd", t.iso);
      // [§2.3.2] handlingInstructions are required on routes; RAR when unchanged from receipt.
      const std::string hi = HandlingJson(t);
      j.Raw("handlingInstructions", hi == HandlingJson(o.terms) ? std::string("{\"RAR\":true}") : hi);
      j.Bool("routeRejectedFlag", r.rejected);
      j.Bool("dupROIDCond", false);
      j.Bool("multiLegInd", false);
      Emit("MEOR", s.date, j.Done());
    }
    RouteDone(it);
  }

  void RouteDone(std::unordered_map<std::string, Route>::iterator it) {
    const std::string okey = it->second.order;
    routes.erase(it);
    auto o = orders.find(okey);
    if (o == orders.end()) return;
    --o->second.open_routes;
    if (o->second.closed && o->second.open_routes == 0) Forget(okey);
  }

  // An order left with leavesQty 0 is forgotten once no route of it waits [memory bounded by open orders].
  void Close(const std::string& client_key) {
    auto k = by_clordid.find(client_key);
    if (k == by_clordid.end()) return;
    const std::string okey = k->second;
    auto o = orders.find(okey);
    if (o == orders.end()) return;
    o->second.closed = true;
    if (o->second.open_routes == 0) Forget(okey);
  }

  void Forget(const std::string& okey) {
    auto o = orders.find(okey);
    if (o == orders.end()) return;
    by_clordid.erase(Key(o->second.client, o->second.cl_ord_id));
    auto any = by_any_clordid.find(o->second.cl_ord_id);
    if (any != by_any_clordid.end() && any->second == okey) by_any_clordid.erase(any);
    if (!o->second.order_id.empty()) by_orderid.erase(o->second.order_id);
    orders.erase(o);
  }



  // --- allocations -----------------------------------------------------------------------------------------
  void Allocation(const Owned& m) {
    const std::string_view trans = m.Get(71);
    if (trans != "0" && trans != "1" && trans != "2") {
      Find(m, "fix.value", "71", "AllocTransType (71) is not New, Replace or Cancel.");
      return;
    }
    Stamp s;
    if (!Time(m, &s)) return;
    std::string price;
    const std::string_view side(internal::Side(m.Get(54)));
    if (side.empty() || !internal::NormalizeDecimal(m.Get(6), 8, &price) || m.Get(70).empty() ||
        !internal::IsText(m.Get(55), 22) || m.Get(75).size() != 8) {
      Find(m, "fix.value", "70", "The allocation lacks AllocID (70), Side (54), Symbol (55), AvgPx (6) or TradeDate (75).");
      return;
    }
    // newOrderFDID: the FDID of the first order named in NoOrders (73/11), when this log opened it.
    std::string new_order_fdid;
    for (const auto& [tag, v] : m.fields) {
      if (tag == 11) {
        auto f = fdid_of.find(v);
        if (f != fdid_of.end()) {
          new_order_fdid = f->second;
          break;
        }
      }
    }
    // NoAllocs (78): AllocAccount (79) starts each entry, AllocQty (80) follows.
    std::vector<std::pair<std::string, std::string>> allocs;
    bool in_allocs = false;
    for (const auto& [tag, v] : m.fields) {
      if (tag == 78) in_allocs = true;
      if (!in_allocs) continue;
      if (tag == 79) allocs.emplace_back(v, "");
      if (tag == 80 && !allocs.empty()) allocs.back().second = v;
    }
    if (allocs.empty()) {
      Find(m, "fix.value", "78", "The allocation has no NoAllocs (78) entries.");
      return;
    }
    const bool amend = trans != "0";
    for (size_t n = 0; n < allocs.size(); ++n) {
      auto acct = map.accounts.find(allocs[n].first);
      std::string qty;
      if (acct == map.accounts.end()) {
        Find(m, "fix.unmapped_account", "79", "AllocAccount (79) is not in the map's [accounts]: no firmDesignatedID.");
        continue;
      }
      if (!internal::NormalizeDecimal(allocs[n].second, 6, &qty)) {
        Find(m, "fix.value", "80", "AllocQty (80) is not a CAT quantity.");
        continue;
      }
      // allocationID = AllocID-n [Caisson convention]: one CAT allocation per account of the instruction.
      const std::string id = fmt::format("{}-{}", m.Get(70), n + 1);
      const std::string prior = m.Get(72).empty() ? std::string() : fmt::format("{}-{}", m.Get(72), n + 1);
      Json j;
      Head(&j, m, s.date, amend ? "MEAA" : "MEPA", static_cast<int>(n));
      j.Str("allocationKeyDate", s.text);
      j.Str("allocationID", id);
      if (amend) {
        auto pk = alloc_key_date.find(prior);
        if (prior.empty() || pk == alloc_key_date.end()) {
          Find(m, "fix.unknown_refallocid", "72", "RefAllocID (72) names no allocation of this log.");
          continue;
        }
        j.Str("priorAllocationKeyDate", pk->second);
        j.Str("priorAllocationID", prior);
      }
      j.Str("symbol", m.Get(55));
      j.Str("eventTimestamp", s.text);
      if (!amend) j.Bool("cancelFlag", false);
      j.Raw("quantity", qty);
      j.Raw("price", price);
      j.Str("side", side);
      j.Str("firmDesignatedID", acct->second.fdid);
      j.Bool("institutionFlag", acct->second.institution);
      j.Raw("tradeDate", m.Get(75));
      if (m.Get(64).size() == 8) j.Raw("settlementDate", m.Get(64));
      j.Str("allocationType", acct->second.allocation_type);
      j.Str("newOrderFDID", new_order_fdid);
      if (amend) {
        j.Bool("cancelFlag", trans == "2");
        if (trans == "2") j.Str("cancelTimestamp", s.text);
      }
      j.Str("accountHolderType", acct->second.account_holder_type);
      alloc_key_date[id] = s.text;
      Emit(amend ? "MEAA" : "MEPA", s.date, j.Done());
    }
  }
};

Converter::Converter(const Map& map, Sink sink, std::vector<Finding>* findings)
    : rep_(std::make_unique<Rep>(map, std::move(sink), findings)) {}
Converter::~Converter() = default;

void Converter::Add(const Message& msg, std::string_view file, Summary* summary) {
  Rep& r = *rep_;
  r.summary = summary;
  ++summary->messages;
  const std::string_view type = msg.Get(35);
  const bool is_app = type == "D" || type == "G" || type == "F" || type == "8" || type == "J" || type == "AS";
  if (!is_app) {
    ++summary->not_reported;  // session level and messages without a CAT event
    return;
  }
  const Owned m = Owned::From(msg, file);
  const bool from_firm = r.FromFirm(m);
  const std::string_view counterparty = from_firm ? m.Get(56) : m.Get(49);
  if (type == "J" || type == "AS") {
    r.Allocation(m);
    return;
  }
  auto sit = r.map.sessions.find(counterparty);
  if (sit == r.map.sessions.end()) {
    r.Find(m, "fix.unknown_session", from_firm ? "56" : "49", "The counterparty CompID is not in the map's [sessions].");
    return;
  }
  const Session& session = sit->second;
  const bool client = session.kind == Session::Kind::kClient;
  if (type == "D") {
    if (client && !from_firm) return r.ClientNewOrder(m);
    if (!client && from_firm) return r.RouteOut(m, session);
  } else if ((type == "G" || type == "F") && client && !from_firm) {
    return r.ClientRequest(m);
  } else if (type == "8") {
    // [FIX 4.4] ExecType 150: 0 New, 4 Canceled, 5 Replaced, 8 Rejected, F Trade; FIX 4.2 fills are 1 and 2.
    const std::string_view exec = m.Get(150);
    const bool fill = exec == "F" || exec == "1" || exec == "2";
    if (!client && !from_firm) {
      if (exec == "0" || exec == "8" || fill) return r.RouteAnswered(m);
      ++summary->not_reported;
      return;
    }
    if (client && from_firm) {
      Order* o = r.OrderByClOrdId(m.Get(56), m.Get(11));
      if (exec == "5") return r.ReplaceConfirmed(m);
      if (exec == "4") return r.CancelConfirmed(m);
      if (!o) {
        r.Find(m, "fix.unknown_clordid", "11", "The execution report names a ClOrdID (11) this log never opened.");
        return;
      }
      if (exec == "0") return r.Acknowledge(o, m);
      if (exec == "8") {
        ++summary->not_reported;  // the firm rejected the order: no CAT order was accepted [Caisson convention]
        o->broken = true;
        return;
      }
      if (fill) return r.ClientFill(o, m);
      ++summary->not_reported;
      return;
    }
  }
  r.Find(m, "fix.unsupported", "35",
         "This message type in this direction makes no CAT event in Caisson's mapping (docs/fix.md).",
         Severity::kWarning);
}

void Converter::Finish(Summary* summary) {
  Rep& r = *rep_;
  r.summary = summary;
  for (auto& [k, o] : r.orders) {
    if (o.order_id.empty() && !o.broken) {
      r.Find(o.new_order, "fix.not_acknowledged", "37",
             "The order was never acknowledged with an OrderID (37): no CAT orderID, no MENO.");
    }
  }
  std::vector<std::string> waiting;
  for (auto& [k, route] : r.routes) waiting.push_back(k);
  for (const std::string& k : waiting) {
    auto it = r.routes.find(k);
    if (it == r.routes.end()) continue;
    if (!it->second.answered) {
      // Unanswered at the end of the logs: written as not rejected [Caisson convention], and said so.
      r.Find(it->second.msg, "fix.route_unanswered", "11",
             "The destination never answered this route in the logs; the MEOR is written as accepted.",
             Severity::kWarning);
      it->second.answered = true;
    }
    r.TryRoute(k);
  }
}

}  // namespace caisson::fix
