// Two copies of one synthetic firm for the CLI tests of the fast paths (fast_delta_test.cc,
// fast_repair_test.cc): `Firm` writes small books, `Twin` runs each command in both copies, the builds of one
// with the fast path and of the other with `--scan full`, and compares their files and state stores.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "store_dump.h"

namespace caisson::testing::firm_twin {

namespace fs = std::filesystem;

struct Acct {
  std::string fdid = "", name = "", date = "2020-01-02", end_date = "", end_reason = "", replaced_by = "";
  std::string activity = "2026-11-01", addr = "1 TEST ST", ltid = "";
  std::vector<std::pair<std::string, std::string>> history = {};  // (valid_from, account_name) later states
};
struct Cust {
  std::string id = "", first = "", last = "", ssn = "", old_ssn = "", old_end = "", old_reason = "";
  std::string addr = "2 TEST AVE";
};
struct Rl {
  std::string fdid = "", customer = "", start = "2020-01-02", end_date = "", end_reason = "";
};

struct Firm {
  std::vector<Acct> accounts;
  std::vector<Cust> people;
  std::vector<Rl> roles;

  void Write(const fs::path& dir, const std::string& as_of) const {
    fs::create_directories(dir);
    std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 990001\ncat_submitter_id = 990002\n"
                                           "[spec]\nas_of = \"" << as_of << "\"\n";
    std::ofstream a(dir / "accounts.csv");
    a << "fdid,fdid_type,account_types,account_name,account_number,fdid_date,fdid_end_date,fdid_end_reason,"
         "replaced_by_fdid,last_activity_date,valid_from\n";
    auto row = [&](const Acct& x, const std::string& name, const std::string& valid_from) {
      a << x.fdid << ",ACCOUNT,MARGIN," << name << ",ACCT-SYN-" << x.fdid << "," << x.date << "," << x.end_date
        << "," << x.end_reason << "," << x.replaced_by << "," << x.activity << "," << valid_from << "\n";
    };
    for (const Acct& x : accounts) {
      row(x, x.name, "");
      for (const auto& [from, name] : x.history) row(x, name, from);
    }
    std::ofstream c(dir / "customers.csv");
    c << "customer_id,kind,customer_types,first_name,last_name,year_of_birth\n";
    for (const Cust& p : people) c << p.id << ",NATURAL_PERSON,NOTAPPLICABLE," << p.first << "," << p.last << ",1970\n";
    std::ofstream i(dir / "identifiers.csv");
    i << "customer_id,id_type,id_value,end_date,end_reason\n";
    for (const Cust& p : people) {
      i << p.id << ",SSN," << p.ssn << ",,\n";
      if (!p.old_ssn.empty()) i << p.id << ",SSN," << p.old_ssn << "," << p.old_end << "," << p.old_reason << "\n";
    }
    std::ofstream r(dir / "roles.csv");
    r << "fdid,customer_id,role,role_start_date,role_end_date,role_end_reason\n";
    for (const Rl& x : roles) {
      r << x.fdid << "," << x.customer << ",TRDHOLDER," << x.start << "," << x.end_date << "," << x.end_reason << "\n";
    }
    std::ofstream d(dir / "addresses.csv");
    d << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n";
    for (const Acct& x : accounts) d << "ACCOUNT," << x.fdid << ",ADDRESS1," << x.addr << ",NEW YORK,NY,10011,US\n";
    for (const Cust& p : people) d << "CUSTOMER," << p.id << ",ADDRESS1," << p.addr << ",NEW YORK,NY,10012,US\n";
    std::ofstream l(dir / "large_traders.csv");
    l << "fdid,large_trader_id,effective_date\n";
    for (const Acct& x : accounts) {
      if (!x.ltid.empty()) l << x.fdid << "," << x.ltid << ",2020-01-02\n";
    }
  }
};

// The Data and TID Files of an out folder, by name, decompressed.
inline std::map<std::string, std::string> Files(const fs::path& out) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out, ec)) {
    const std::string name = e.path().filename().string();
    if (name.find("_CAIS_") == std::string::npos && name.find("_TIDS_") == std::string::npos) continue;
    Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
    EXPECT_TRUE(text.ok()) << name;
    files[name] = text.ok() ? *text : std::string("unreadable");
  }
  return files;
}

// Three copies of one firm: `fast` builds with the fast path, `full` with --scan full (a delta reads the whole
// books in batches, as a full build does), `whole` with --scan full and CAISSON_STREAMED_BUILD=0 (the whole
// books at once).
class Twin {
 public:
  explicit Twin(const fs::path& root) : fast_(root / "fast"), full_(root / "full"), whole_(root / "whole") {}

  void Write(const Firm& firm, const std::string& as_of) {
    firm.Write(fast_ / "books", as_of);
    firm.Write(full_ / "books", as_of);
    firm.Write(whole_ / "books", as_of);
  }

  // Runs the same command in all three (builds: with --scan full but in `fast`) and checks that they agree.
  RunResult Run(const std::string& args, bool build) {
    RunResult a = RunCaisson(args, fast_);
    RunResult b = RunCaisson(args + (build ? " --scan full" : ""), full_);
    setenv("CAISSON_STREAMED_BUILD", "0", 1);
    RunResult c = RunCaisson(args + (build ? " --scan full" : ""), whole_);
    unsetenv("CAISSON_STREAMED_BUILD");
    EXPECT_EQ(a.exit_code, b.exit_code) << args << "\nfast: " << a.err << "\nfull: " << b.err;
    EXPECT_EQ(a.exit_code, c.exit_code) << args << "\nfast: " << a.err << "\nwhole: " << c.err;
    if (build) {
      if (a.err.find("fast path") != std::string::npos) ++fast_runs_;
      if (b.err.find("whole books in batches") != std::string::npos &&
          b.err.find("whole books at once") == std::string::npos) {
        ++streamed_runs_;
      }
      EXPECT_EQ(b.err.find("fast path"), std::string::npos) << b.err;
      EXPECT_EQ(c.err.find("whole books in batches"), std::string::npos) << c.err;
    }
    return a;
  }

  // The files written so far and the stores agree.
  void ExpectSame(const std::string& when) {
    const auto a = Files(fast_ / "out"), b = Files(full_ / "out");
    std::vector<std::string> names_a, names_b;
    for (const auto& [n, t] : a) names_a.push_back(n);
    for (const auto& [n, t] : b) names_b.push_back(n);
    EXPECT_EQ(names_a, names_b) << when;
    for (const auto& [name, text] : a) {
      auto it = b.find(name);
      if (it != b.end()) {
        EXPECT_TRUE(it->second == text) << when << ": " << name << " differs";
      }
    }
    const std::string store = DumpStore(fast_ / "books" / "caisson.db");
    EXPECT_EQ(store, DumpStore(full_ / "books" / "caisson.db")) << when << " (streamed)";
    EXPECT_EQ(store, DumpStore(whole_ / "books" / "caisson.db")) << when << " (whole)";
    const auto c = Files(whole_ / "out");
    EXPECT_EQ(a.size(), c.size()) << when;
    for (const auto& [name, text] : a) {
      auto it = c.find(name);
      EXPECT_TRUE(it != c.end() && it->second == text) << when << ": " << name << " differs (whole)";
    }
  }

  int fast_runs() const { return fast_runs_; }
  int streamed_runs() const { return streamed_runs_; }  // deltas of `full` that read the books in batches
  const fs::path& fast() const { return fast_; }
  const fs::path& full() const { return full_; }
  const fs::path& whole() const { return whole_; }

 private:
  fs::path fast_, full_, whole_;
  int fast_runs_ = 0, streamed_runs_ = 0;
};

inline std::string IsoDate(int day) { return fmt::format("2026-11-{:02d}", day); }
inline std::string FileDate(int day) { return fmt::format("202611{:02d}", day); }

// The submission number `build` printed, 0 when it wrote none.
inline int64_t SubmissionOf(const RunResult& r) {
  const std::string tag = "caisson build: submission ";
  const size_t at = r.err.find(tag);
  return at == std::string::npos ? 0 : std::stoll(r.err.substr(at + tag.size()));
}

inline Firm StartingFirm(int accounts) {
  Firm f;
  for (int k = 1; k <= accounts; ++k) {
    Acct a;
    a.fdid = fmt::format("FDQ{}", k);
    a.name = fmt::format("ACCOUNT {}", k);
    if (k % 4 == 0) a.ltid = fmt::format("{:08d}-{:04d}", 12340000 + k, k);
    f.accounts.push_back(a);
    Cust c;
    c.id = fmt::format("PQ{}", k);
    c.first = "ANN";
    c.last = fmt::format("PERSON{}", k);
    c.ssn = fmt::format("917-82-{:04d}", 1000 + k);
    f.people.push_back(c);
    f.roles.push_back({a.fdid, c.id});
    if (k % 3 == 0) f.roles.push_back({a.fdid, fmt::format("PQ{}", k - 1)});  // joint accounts
  }
  return f;
}

// Day 10: the first full build on both copies, accepted.
inline void FirstDay(Twin* twin, const Firm& firm) {
  twin->Write(firm, IsoDate(10));
  ASSERT_EQ(twin->Run("build books --out out --file-date 20261110", true).exit_code, 0);
  ASSERT_EQ(twin->Run("accept 1 --date 20261110 --config books/caisson.toml", false).exit_code, 0);
}

inline bool Open(const Acct& a) { return a.end_date.empty(); }

// One random edit of the books on `day` (the business date), of the kinds a firm's books see daily.
inline void Edit(Firm* f, std::mt19937* rng, int day, int* serial) {
  auto pick = [&](size_t n) { return static_cast<size_t>(std::uniform_int_distribution<size_t>(0, n - 1)(*rng)); };
  std::vector<size_t> open;
  for (size_t i = 0; i < f->accounts.size(); ++i) {
    if (Open(f->accounts[i])) open.push_back(i);
  }
  if (open.empty()) return;
  const size_t a_at = open[pick(open.size())], c_at = pick(f->people.size());
  Acct& a = f->accounts[a_at];
  Cust& c = f->people[c_at];
  const int n = ++*serial;
  switch (pick(19)) {
    case 0: a.name = fmt::format("RENAMED {}", n); break;
    case 1: c.last = fmt::format("NEWNAME{}", n); break;
    case 2: {
      const bool already = std::any_of(f->roles.begin(), f->roles.end(), [&](const Rl& r) {
        return r.fdid == a.fdid && r.customer == c.id;
      });
      if (!already) f->roles.push_back({a.fdid, c.id, IsoDate(day)});
      break;
    }
    case 3: {
      std::vector<Rl*> ending;
      for (Rl& r : f->roles) {
        if (r.fdid == a.fdid && r.end_date.empty()) ending.push_back(&r);
      }
      if (ending.size() >= 2) {  // keep one holder
        ending[0]->end_date = IsoDate(day);
        ending[0]->end_reason = "ENDED";
      }
      break;
    }
    case 4: a.addr = fmt::format("{} MOVED ST", n); break;
    case 5: c.addr = fmt::format("{} MOVED AVE", n); break;
    case 6:
      if (c.old_ssn.empty()) {
        c.old_ssn = c.ssn;
        c.old_end = IsoDate(day);
        c.old_reason = "REPLACED";
        c.ssn = fmt::format("917-83-{:04d}", 1000 + n);
      }
      break;
    case 7:
      a.end_date = IsoDate(day);
      a.end_reason = "ENDED";
      for (Rl& r : f->roles) {
        if (r.fdid == a.fdid && r.end_date.empty()) {
          r.end_date = IsoDate(day);
          r.end_reason = "ENDED";
        }
      }
      break;
    case 8: {  // a new account for an existing customer, or a replacement of `a` [§3.1]
      Acct b;
      b.fdid = fmt::format("FDN{}", n);
      b.name = fmt::format("NEW {}", n);
      b.date = IsoDate(day);
      std::vector<std::string> holders;
      for (const Rl& r : f->roles) {
        if (r.fdid == a.fdid && r.end_date.empty()) holders.push_back(r.customer);
      }
      if (n % 2 == 0 && !holders.empty()) {
        a.end_date = IsoDate(day);
        a.end_reason = "REPLACED";
        a.replaced_by = b.fdid;
        for (Rl& r : f->roles) {
          if (r.fdid == a.fdid && r.end_date.empty()) {
            r.end_date = IsoDate(day);
            r.end_reason = "REPLACED";
          }
        }
      } else {
        holders = {c.id};
      }
      f->accounts.push_back(b);
      for (const std::string& h : holders) f->roles.push_back({b.fdid, h, IsoDate(day)});
      break;
    }
    case 9: a.history.emplace_back(IsoDate(day + 1 + static_cast<int>(pick(2))), fmt::format("LATER {}", n)); break;
    // Defects that come and go, so records are held back and released: a malformed LTID, a natural person
    // without a first name, two customers with one SSN, a role that starts before its account.
    case 10: a.ltid = a.ltid == "BAD-LTID" ? "" : "BAD-LTID"; break;
    case 11: c.first = c.first.empty() ? "ANN" : ""; break;
    case 12: c.ssn = f->people[pick(f->people.size())].ssn; break;
    case 13: {
      std::vector<Rl*> of_a;
      for (Rl& r : f->roles) {
        if (r.fdid == a.fdid && r.end_date.empty()) of_a.push_back(&r);
      }
      if (!of_a.empty()) {
        Rl& r = *of_a[pick(of_a.size())];
        r.start = r.start == "2019-06-03" ? a.date : "2019-06-03";
      }
      break;
    }
    // Records that leave the books: an account with its roles (state.vanished; an FDID it replaced now
    // names a missing one), a customer whose roles stay behind (a dangling reference).
    case 15:
      if (open.size() > 4) {
        const std::string gone = a.fdid;
        f->roles.erase(std::remove_if(f->roles.begin(), f->roles.end(), [&](const Rl& r) { return r.fdid == gone; }),
                       f->roles.end());
        f->accounts.erase(f->accounts.begin() + static_cast<std::ptrdiff_t>(a_at));
      }
      break;
    case 16:
      if (f->people.size() > 4) f->people.erase(f->people.begin() + static_cast<std::ptrdiff_t>(c_at));
      break;
    case 17: a.ltid = fmt::format("{:08d}-{:04d}", 22340000 + n, n % 10000); break;  // a new LTID
    case 18: {  // an ended account reopened in the books (its roles stay ended)
      for (Acct& x : f->accounts) {
        if (!Open(x) && x.end_reason == "ENDED") {
          x.end_date.clear();
          x.end_reason.clear();
          break;
        }
      }
      break;
    }
    default: a.activity = IsoDate(day); break;
  }
}

}  // namespace caisson::testing::firm_twin
