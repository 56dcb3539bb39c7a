// GenerateEvents: synthetic CAT order-event files [CAT IM 4.1.0 r15 §4, §6.1] for a books folder written by
// Generate, consistent with its FDIDs (every clean event's FDID is open and has a customer on the event's
// date), plus planted FDID and linkage defects listed in expected-txn-findings.json.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gen/gen.h"
#include "gen/internal.h"

namespace caisson::gen {

namespace {

constexpr char kImid[] = "CSNFIRM";           // the generated firm's CAT Reporter IMID (synthetic)
constexpr char kBroker[] = "990777:BRKR";     // the IM orders are routed to (synthetic CRD:IMID)

struct Account {
  std::string fdid;
  bool market = false;      // account_types lists MARKET
  bool account = false;     // fdid_type ACCOUNT
  int32_t open = 0;         // fdid_date
  int32_t end = 0;          // fdid_end_date, 0 = open
  int32_t from = 0;         // earliest role_start_date, 0 = none
};

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

int32_t Ymd(const std::string& iso) {  // "YYYY-MM-DD" -> YYYYMMDD; 0 when empty or malformed
  if (iso.size() != 10) return 0;
  return std::stoi(iso.substr(0, 4)) * 10000 + std::stoi(iso.substr(5, 2)) * 100 + std::stoi(iso.substr(8, 2));
}

int64_t Days(int32_t ymd) {  // days since 1970-01-01 (Hinnant's days_from_civil)
  int y = ymd / 10000;
  const unsigned m = static_cast<unsigned>(ymd / 100 % 100), d = static_cast<unsigned>(ymd % 100);
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  return static_cast<int64_t>(era) * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int32_t FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int32_t>((static_cast<int64_t>(yoe) + era * 400 + (m <= 2)) * 10000 + m * 100 + d);
}

bool Weekend(int32_t ymd) {
  const int64_t wd = (Days(ymd) + 4) % 7;  // 1970-01-01 was a Thursday (4); 0 = Sunday
  return wd == 0 || wd == 6;
}

int32_t PrevWeekday(int32_t ymd) {
  do ymd = FromDays(Days(ymd) - 1);
  while (Weekend(ymd));
  return ymd;
}

// "YYYYMMDDTHHMMSS.mmm" Eastern Time [Table 3].
std::string Ts(int32_t day, int64_t ms) {
  return fmt::format("{}T{:02d}{:02d}{:02d}.{:03d}", day, ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
                     ms % 1000);
}

struct Planted {
  std::string json;  // one expected finding as a JSON object
};

// One file per event date, with line numbers counted as lines are added; written in 1 MiB steps so memory
// stays flat however many events are asked for.
struct DayFile {
  int32_t day = 0;
  std::string name;
  std::string text;
  std::FILE* out = nullptr;
  bool failed = false;
  uint64_t lines = 0;
  uint64_t roe = 0;
  std::string NextRoe() { return fmt::format("{}_{}", day, ++roe); }
  uint64_t Add(const std::string& line) {
    text += line;
    text += '\n';
    if (text.size() >= (1u << 20)) Flush();
    return ++lines;
  }
  void Flush() {
    if (out != nullptr && !text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
      failed = true;
    }
    text.clear();
  }
};

struct Ctx {
  internal::Rng rng;
  std::string sender;  // "<crd>:<imid>"
  std::vector<DayFile> files;  // oldest first
  std::vector<std::string> fdid_expected, link_expected, reject_fdids;
  uint64_t orders = 0;
  explicit Ctx(uint64_t seed) : rng(seed ^ 0x5eedULL) {}

  void ExpectFdid(std::string_view rule, int code, std::string_view key, const DayFile& f, uint64_t line,
                  std::string_view field) {
    fdid_expected.push_back(fmt::format(
        R"({{"rule": "{}", "cais_code": {}, "key": "{}", "file": "{}", "line": {}, "field": "{}"}})", rule,
        code ? fmt::format("\"{}\"", code) : std::string("null"), key, f.name, line, field));
  }
  void ExpectLink(std::string_view rule, int code, const DayFile& f, uint64_t line, std::string_view field) {
    link_expected.push_back(fmt::format(R"({{"rule": "{}", "code": "{}", "file": "{}", "line": {}, "field": "{}"}})",
                                        rule, code, f.name, line, field));
  }
};

std::string Meno(DayFile& f, const std::string& order_id, int64_t ms, std::string_view fdid,
                 std::string_view holder, const std::string& roe) {
  const std::string ts = Ts(f.day, ms);
  return fmt::format(
      R"({{"actionType":"NEW","firmROEID":"{}","type":"MENO","CATReporterIMID":"{}","orderKeyDate":"{}",)"
      R"("orderID":"{}","symbol":"XYZ","eventTimestamp":"{}","manualFlag":false,"electronicDupFlag":false,)"
      R"("deptType":"A","solicitationFlag":false,"side":"B","price":10.01,"quantity":100,"orderType":"LMT",)"
      R"("timeInForce":{{"DAY":{}}},"tradingSession":"REG","custDspIntrFlag":false,"firmDesignatedID":"{}",)"
      R"("accountHolderType":"{}","affiliateFlag":false,"negotiatedTradeFlag":false,"representativeInd":"N"}})",
      roe, kImid, ts, order_id, ts, f.day, fdid, holder);
}

std::string Secondary(DayFile& f, std::string_view type, const std::string& order_id, int32_t key_day,
                      int64_t key_ms, int64_t ms, const std::string& roe, std::string_view tail) {
  return fmt::format(
      R"({{"actionType":"NEW","firmROEID":"{}","type":"{}","CATReporterIMID":"{}","orderKeyDate":"{}",)"
      R"("orderID":"{}","symbol":"XYZ","eventTimestamp":"{}",{}}})",
      roe, type, kImid, Ts(key_day, key_ms), order_id, Ts(f.day, ms), tail);
}

std::string Route(const std::string& sender, std::string_view dest, uint64_t n, int32_t day) {
  return fmt::format(
      R"("manualFlag":false,"electronicDupFlag":false,"senderIMID":"{}","destination":"{}","destinationType":"F",)"
      R"("routedOrderID":"R{:08d}","side":"B","price":10.01,"quantity":100,"orderType":"LMT","timeInForce":{{"DAY":{}}},)"
      R"("tradingSession":"REG","affiliateFlag":false,"isoInd":"NA","handlingInstructions":{{"RAR":true}},)"
      R"("routeRejectedFlag":false,"dupROIDCond":false,"multiLegInd":false)",
      sender, dest, n, day);
}

std::string Mepa(DayFile& f, uint64_t n, std::string_view fdid, int32_t trade_date, std::string_view new_order_fdid,
                 const std::string& roe) {
  const std::string ts = Ts(f.day, 18 * 3'600'000);
  return fmt::format(
      R"({{"actionType":"NEW","firmROEID":"{}","type":"MEPA","CATReporterIMID":"{}","allocationKeyDate":"{}",)"
      R"("allocationID":"A{:08d}","symbol":"XYZ","eventTimestamp":"{}","cancelFlag":false,"quantity":100,)"
      R"("price":10.01,"side":"B","firmDesignatedID":"{}","institutionFlag":false,"tradeDate":{},)"
      R"("allocationType":"CUS","newOrderFDID":"{}","accountHolderType":"I"}})",
      roe, kImid, ts, n, ts, fdid, trade_date, new_order_fdid);
}

std::string Meot(DayFile& f, uint64_t n, int64_t ms, std::string_view buy, std::string_view sell,
                 const std::string& roe) {
  const std::string ts = Ts(f.day, ms);
  return fmt::format(
      R"({{"actionType":"NEW","firmROEID":"{}","type":"MEOT","CATReporterIMID":"{}","tradeKeyDate":"{}",)"
      R"("tradeID":"T{:08d}","symbol":"XYZ","eventTimestamp":"{}","manualFlag":false,"cancelFlag":false,)"
      R"("quantity":100,"price":10.01,"capacity":"P","tapeTradeID":"X{:08d}","marketCenterID":"L",)"
      R"("sideDetailsInd":"NA","buyDetails":[{{"side":"B","firmDesignatedID":"{}","accountHolderType":"P"}}],)"
      R"("sellDetails":[{{"side":"SL","firmDesignatedID":"{}","accountHolderType":"P"}}],"multiLegInd":false}})",
      roe, kImid, ts, n, ts, n, buy, sell);
}

std::string Meof(DayFile& f, uint64_t n, int64_t ms, const std::string& client_order, int64_t client_ms,
                 std::string_view firm_fdid, const std::string& roe) {
  const std::string ts = Ts(f.day, ms);
  return fmt::format(
      R"({{"actionType":"NEW","firmROEID":"{}","type":"MEOF","CATReporterIMID":"{}","fillKeyDate":"{}",)"
      R"("fulfillmentID":"F{:08d}","symbol":"XYZ","eventTimestamp":"{}","manualFlag":false,)"
      R"("fulfillmentLinkType":"YE","cancelFlag":false,"quantity":100,"price":10.01,"capacity":"P",)"
      R"("clientDetails":[{{"orderKeyDate":"{}","orderID":"{}","side":"B"}}],)"
      R"("firmDetails":[{{"side":"SL","firmDesignatedID":"{}","accountHolderType":"P"}}]}})",
      roe, kImid, ts, n, ts, Ts(f.day, client_ms), client_order, firm_fdid);
}

// One clean order's lifecycle on file f: new order, route, then a modify or a cancel, and an allocation.
void CleanOrder(Ctx& c, DayFile& f, const Account& a) {
  const uint64_t n = ++c.orders;
  const std::string id = fmt::format("O{:08d}", n);
  const int64_t t = 9 * 3'600'000 + 30 * 60'000 + c.rng.Range(0, 6 * 3'600'000);
  f.Add(Meno(f, id, t, a.fdid, a.market ? "O" : "I", f.NextRoe()));
  f.Add(Secondary(f, "MEOR", id, f.day, t, t + 5, f.NextRoe(), Route(c.sender, kBroker, n, f.day)));
  if (c.rng.Chance(50)) {
    f.Add(Secondary(f, "MEOC", id, f.day, t, t + 900, f.NextRoe(),
                    R"("manualFlag":false,"cancelQty":0,"leavesQty":0,"initiator":"C")"));
  } else {
    f.Add(Secondary(f, "MEOM", id, f.day, t, t + 700, f.NextRoe(),
                    fmt::format(R"("manualFlag":false,"electronicDupFlag":false,"initiator":"C","side":"B",)"
                                R"("price":10.02,"quantity":100,"leavesQty":100,"orderType":"LMT",)"
                                R"("timeInForce":{{"DAY":{}}},"tradingSession":"REG","isoInd":"NA",)"
                                R"("custDspIntrFlag":false,"representativeInd":"N")",
                                f.day)));
    f.Add(Mepa(f, n, a.fdid, f.day, a.fdid, f.NextRoe()));
  }
}

Status ReadBooks(const std::filesystem::path& dir, std::vector<Account>* accounts, std::string* crd, int32_t* as_of) {
  std::ifstream acc(dir / "accounts.csv");
  if (!acc) return Status::IOError((dir / "accounts.csv").string(), "cannot read the books' accounts");
  std::string line;
  std::getline(acc, line);  // header
  while (std::getline(acc, line)) {
    auto v = SplitCsv(line);
    if (v.size() < 8) continue;
    Account a;
    a.fdid = v[internal::kFdid];
    a.account = v[internal::kFdidType] == "ACCOUNT";
    a.market = v[internal::kAccountTypes].find("MARKET") != std::string::npos;
    a.open = Ymd(v[internal::kFdidDate]);
    a.end = Ymd(v[internal::kFdidEndDate]);
    accounts->push_back(std::move(a));
  }
  std::ifstream roles(dir / "roles.csv");
  std::getline(roles, line);
  std::vector<std::pair<std::string, int32_t>> starts;
  while (std::getline(roles, line)) {
    auto v = SplitCsv(line);
    if (v.size() < 5) continue;
    starts.emplace_back(v[internal::kRoleFdid], Ymd(v[internal::kRoleStart]));
  }
  std::sort(starts.begin(), starts.end());
  for (Account& a : *accounts) {
    auto it = std::lower_bound(starts.begin(), starts.end(), std::make_pair(a.fdid, int32_t{0}));
    if (it != starts.end() && it->first == a.fdid) a.from = it->second;
  }
  std::ifstream toml(dir / "caisson.toml");
  while (std::getline(toml, line)) {
    if (line.rfind("cat_reporter_crd = ", 0) == 0) *crd = line.substr(19);
    if (line.rfind("as_of = \"", 0) == 0) *as_of = Ymd(line.substr(9, 10));
  }
  if (crd->empty() || *as_of == 0) return Status::Corruption((dir / "caisson.toml").string(), "no CRD or as_of");
  return Status::OK();
}

}  // namespace

Status GenerateEvents(const EventsOptions& options) {
  std::vector<Account> accounts;
  std::string crd;
  int32_t as_of = 0;
  CAISSON_RETURN_IF_ERROR(ReadBooks(options.books, &accounts, &crd, &as_of));
  int32_t last = options.date ? options.date : as_of;
  while (Weekend(last)) last = PrevWeekday(last);
  Ctx c(options.seed);
  c.sender = crd + ":" + kImid;
  std::vector<int32_t> days = {last};
  for (int i = 1; i < std::max(1, options.days); ++i) days.insert(days.begin(), PrevWeekday(days.front()));
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec) return Status::IOError(options.out.string(), ec.message());
  for (int32_t d : days) {
    DayFile f;
    f.day = d;
    f.name = fmt::format("{}_{}_{}_OrderEvents_000001.json", options.submitter_id, kImid, d);
    f.out = std::fopen((options.out / f.name).c_str(), "wb");
    if (f.out == nullptr) return Status::IOError((options.out / f.name).string(), "cannot create");
    c.files.push_back(std::move(f));
  }
  struct Closer {
    std::vector<DayFile>* files;
    ~Closer() {
      for (DayFile& f : *files) {
        if (f.out != nullptr) std::fclose(f.out);
      }
    }
  } closer{&c.files};
  // Clean accounts: open ACCOUNT FDIDs with a customer before the first event date.
  std::vector<const Account*> clean, ended;
  for (const Account& a : accounts) {
    if (!a.account || a.from == 0) continue;
    if (a.end == 0 && a.from < days.front()) clean.push_back(&a);
    if (a.end != 0 && a.end < days.front() && a.from < a.end) ended.push_back(&a);
  }
  if (clean.size() < 4) return Status::InvalidArgument(options.books.string(), "too few open accounts for events");
  // Accounts taken for FDID defects carry no clean events, so each defect is its FDID's only finding.
  const int64_t defects = static_cast<int64_t>(options.defects * static_cast<double>(clean.size()) + 0.5);
  std::vector<const Account*> dedicated;
  for (int64_t i = 0; i < defects && clean.size() > 4; ++i) {
    const size_t k = c.rng.Below(clean.size());
    dedicated.push_back(clean[k]);
    clean.erase(clean.begin() + static_cast<std::ptrdiff_t>(k));
  }
  // Clean events: ~events_per_account orders per account (about 3.5 events each), spread over the days.
  const int64_t orders = std::max<int64_t>(1, options.orders_per_account) * static_cast<int64_t>(clean.size());
  for (int64_t i = 0; i < orders; ++i) {
    const Account& a = *clean[static_cast<size_t>(i) % clean.size()];
    CleanOrder(c, c.files[c.rng.Below(c.files.size())], a);
  }
  // FDID defects, one class after the other [§2.4.2.1; App. E Table 178].
  DayFile& first = c.files.front();
  DayFile& today = c.files.back();
  bool pending_done = false, pending_supp_done = false;
  size_t next_ended = 0;
  int serial = 0;
  for (int64_t i = 0; i < defects; ++i) {
    const Account& a = *dedicated[static_cast<size_t>(i)];
    const uint64_t n = ++c.orders;
    const std::string id = fmt::format("O{:08d}", n);
    const int64_t t = 10 * 3'600'000 + static_cast<int64_t>(n % 1000) * 1000;
    const std::string unknown = fmt::format("ZZ{:06d}", ++serial);  // never in the books
    switch (i % 12) {
      case 0:
        c.ExpectFdid("txn.fdid.missing", 3701, unknown, first, first.Add(Meno(first, id, t, unknown, "I", first.NextRoe())),
                     "firmDesignatedID");
        break;
      case 1:
        c.ExpectFdid("txn.fdid.not_submitted", 3701, unknown, today,
                     today.Add(Meno(today, id, t, unknown, "I", today.NextRoe())), "firmDesignatedID");
        break;
      case 2:
        c.reject_fdids.push_back(a.fdid);
        c.ExpectFdid("txn.fdid.submitted_not_accepted", 3701, a.fdid, today,
                     today.Add(Meno(today, id, t, a.fdid, "I", today.NextRoe())), "firmDesignatedID");
        break;
      case 3:  // an allocation whose tradeDate is before the FDID's first customer
        c.ExpectFdid("txn.fdid.not_yet_valid", 3702, a.fdid, today,
                     today.Add(Mepa(today, n, a.fdid, FromDays(Days(a.from) - 1), a.fdid,
                                    today.NextRoe())),
                     "firmDesignatedID");
        // newOrderFDID is the same FDID, checked on the tradeDate too: 3710.
        c.ExpectFdid("txn.fdid.not_yet_valid", 3710, a.fdid, today, today.lines, "newOrderFDID");
        break;
      case 4:
        if (next_ended < ended.size()) {
          const Account& e = *ended[next_ended++];
          c.ExpectFdid("txn.fdid.ended", 3702, e.fdid, first,
                       first.Add(Meno(first, id, t, e.fdid, "I", first.NextRoe())), "firmDesignatedID");
        }
        break;
      case 5:
        if (!a.market) {
          c.ExpectFdid("txn.fdid.inconsistent", 0, a.fdid, today,
                       today.Add(Meno(today, id, t, a.fdid, "O", today.NextRoe())), "firmDesignatedID");
        }
        break;
      case 6:
        c.ExpectFdid("txn.fdid.missing", 3703, unknown, first, first.Add(Meot(first, n, t, unknown, a.fdid, first.NextRoe())),
                     "buyDetails.firmDesignatedID");
        break;
      case 7:
        c.ExpectFdid("txn.fdid.missing", 3705, unknown, first, first.Add(Meot(first, n, t, a.fdid, unknown, first.NextRoe())),
                     "sellDetails.firmDesignatedID");
        break;
      case 8: {
        const uint64_t meno = first.Add(Meno(first, id, t, a.fdid, "I", first.NextRoe()));
        (void)meno;
        c.ExpectFdid("txn.fdid.missing", 3707, unknown, first,
                     first.Add(Meof(first, n, t + 50, id, t, unknown, first.NextRoe())), "firmDetails.firmDesignatedID");
        break;
      }
      case 9:
        c.ExpectFdid("txn.fdid.missing", 3709, unknown, first,
                     first.Add(Mepa(first, n, a.fdid, first.day, unknown, first.NextRoe())), "newOrderFDID");
        break;
      case 10:
        if (!pending_done) {
          pending_done = true;
          c.ExpectFdid("txn.fdid.pending", 3711, "PENDING", today,
                       today.Add(Meno(today, id, t, "PENDING", "I", today.NextRoe())), "firmDesignatedID");
        }
        break;
      case 11:
        if (!pending_supp_done) {
          pending_supp_done = true;
          const uint64_t line = today.Add(Secondary(today, "MENOS", id, today.day, t, t, today.NextRoe(),
                                                    R"("firmDesignatedID":"PENDING")"));
          c.ExpectFdid("txn.fdid.pending_supplement", 2270, "PENDING", today, line, "firmDesignatedID");
        }
        break;
    }
  }
  // Linkage defects for the linkage checker (basic): one kind after the other [§5.9 of the digest; App. E].
  const int64_t link_defects = defects;
  for (int64_t i = 0; i < link_defects; ++i) {
    const Account& a = *clean[static_cast<size_t>(i) % clean.size()];
    const uint64_t n = ++c.orders;
    const std::string id = fmt::format("O{:08d}", n);
    const int64_t t = 11 * 3'600'000 + static_cast<int64_t>(n % 1000) * 1000;
    switch (i % 4) {
      case 0: {  // two events with one firmROEID
        const std::string roe = today.NextRoe();
        today.Add(Meno(today, id, t, a.fdid, a.market ? "O" : "I", roe));
        c.ExpectLink("linkage.duplicate_firm_roe_id", 3002, today,
                     today.Add(Secondary(today, "MEOC", id, today.day, t, t + 10, roe,
                                         R"("manualFlag":false,"cancelQty":0,"leavesQty":0,"initiator":"C")")),
                     "firmROEID");
        break;
      }
      case 1:  // a cancel of an order never reported
        c.ExpectLink("linkage.key_not_found", 3501, today,
                     today.Add(Secondary(today, "MEOC", "ZZNOORDER" + std::to_string(n), today.day, t, t + 10,
                                         today.NextRoe(),
                                         R"("manualFlag":false,"cancelQty":0,"leavesQty":0,"initiator":"C")")),
                     "orderID");
        break;
      case 2:  // a route whose destination is the sender itself
        today.Add(Meno(today, id, t, a.fdid, a.market ? "O" : "I", today.NextRoe()));
        c.ExpectLink("linkage.route", 2189, today,
                     today.Add(Secondary(today, "MEOR", id, today.day, t, t + 5, today.NextRoe(),
                                         Route(c.sender, c.sender, n, today.day))),
                     "destination");
        break;
      case 3:  // a cancel timestamped before its new order
        today.Add(Meno(today, id, t, a.fdid, a.market ? "O" : "I", today.NextRoe()));
        c.ExpectLink("linkage.out_of_sequence", 3601, today,
                     today.Add(Secondary(today, "MEOC", id, today.day, t, t - 60'000, today.NextRoe(),
                                         R"("manualFlag":false,"cancelQty":0,"leavesQty":0,"initiator":"C")")),
                     "eventTimestamp");
        break;
    }
  }
  for (DayFile& f : c.files) {
    f.Flush();
    if (f.failed || std::fflush(f.out) != 0) return Status::IOError((options.out / f.name).string(), "cannot write");
  }
  std::string doc = fmt::format("{{\n  \"as_of\": {},\n  \"first_event_date\": {},\n  \"reject_fdids\": [", last,
                                days.front());
  for (size_t i = 0; i < c.reject_fdids.size(); ++i) doc += fmt::format("{}\"{}\"", i ? ", " : "", c.reject_fdids[i]);
  doc += "],\n  \"fdid\": [";
  for (size_t i = 0; i < c.fdid_expected.size(); ++i) doc += (i ? ",\n    " : "\n    ") + c.fdid_expected[i];
  doc += "\n  ],\n  \"linkage\": [";
  for (size_t i = 0; i < c.link_expected.size(); ++i) doc += (i ? ",\n    " : "\n    ") + c.link_expected[i];
  doc += "\n  ]\n}\n";
  std::ofstream(options.out / "expected-txn-findings.json", std::ios::binary) << doc;
  return Status::OK();
}

}  // namespace caisson::gen
