// FIX → CAT, the firm's side of the order: fills it gives its client (MEOT / MEOF), routes to the street (MEOR)
// and allocations (MEPA / MEAA) [cat-transactions.md §8.2; docs/fix.md §2]. Caisson's conventions throughout.
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

// A fill the firm gives its client. Agency fills of a routed order repeat the venue's execution, which the
// venue reports: no event. Principal fills are the firm's own trade (MEOT, both sides detailed); riskless
// principal fills are a fulfillment (MEOF) [Caisson convention, docs/fix.md §2].
void Converter::Rep::ClientFill(Order* o, const Owned& er) {
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

// ---- street side -----------------------------------------------------------------------------------------
void Converter::Rep::RouteOut(const Owned& m, const Session& session) {
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

void Converter::Rep::RouteAnswered(const Owned& er) {
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
void Converter::Rep::TryRoute(const std::string& rkey) {
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

void Converter::Rep::RouteDone(std::unordered_map<std::string, Route>::iterator it) {
  const std::string okey = it->second.order;
  routes.erase(it);
  auto o = orders.find(okey);
  if (o == orders.end()) return;
  --o->second.open_routes;
  if (o->second.closed && o->second.open_routes == 0) Forget(okey);
}

// An order left with leavesQty 0 is forgotten once no route of it waits [memory bounded by open orders].
void Converter::Rep::Close(const std::string& client_key) {
  auto k = by_clordid.find(client_key);
  if (k == by_clordid.end()) return;
  const std::string okey = k->second;
  auto o = orders.find(okey);
  if (o == orders.end()) return;
  o->second.closed = true;
  if (o->second.open_routes == 0) Forget(okey);
}

void Converter::Rep::Forget(const std::string& okey) {
  auto o = orders.find(okey);
  if (o == orders.end()) return;
  by_clordid.erase(Key(o->second.client, o->second.cl_ord_id));
  auto any = by_any_clordid.find(o->second.cl_ord_id);
  if (any != by_any_clordid.end() && any->second == okey) by_any_clordid.erase(any);
  if (!o->second.order_id.empty()) by_orderid.erase(o->second.order_id);
  orders.erase(o);
}



// ---- allocations -----------------------------------------------------------------------------------------
void Converter::Rep::Allocation(const Owned& m) {
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
}  // namespace caisson::fix
