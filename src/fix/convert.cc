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
#include <vector>

#include <fmt/format.h>

#include "fix/converter_rep.h"
#include "fix/fix.h"
#include "fix/internal.h"

namespace caisson::fix {

using internal::Json;
using internal::Key;
using internal::Order;
using internal::Owned;
using internal::RoeId;
using internal::Route;
using internal::Stamp;
using internal::Terms;

// ---- client side ---------------------------------------------------------------------------------------
void Converter::Rep::ClientNewOrder(const Owned& m) {
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
void Converter::Rep::Acknowledge(Order* o, const Owned& er) {
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

void Converter::Rep::ClientRequest(const Owned& m) {
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

void Converter::Rep::ReplaceConfirmed(const Owned& er) {
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

void Converter::Rep::CancelConfirmed(const Owned& er) {
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