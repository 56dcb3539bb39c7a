// `caisson certify`: the onboarding guide's production-readiness checklist (docs/certify.md).
#include <cstdio>
#include <string>
#include <vector>

#include "certify/certify.h"
#include "commands.h"
#include "identity/identity.h"
#include "ingest/ingest.h"
#include "setup.h"
#include "state_use.h"

namespace caisson::app {

namespace {

// The books as certify needs them: firm keys, the Industry Member of each FDID, TID types. The sensitive
// input dies inside identity::Transform, as in validate and build.
Result<certify::Population> LoadPopulation(const Setup& setup, const std::filesystem::path& dir) {
  std::vector<Finding> findings;  // the readiness check reports counts; `caisson validate` shows findings
  ingest::Options ingest_options;
  ingest_options.as_of = setup.as_of;
  Result<ingest::Loaded> loaded = ingest::LoadBooks(dir, ingest_options, &findings);
  if (!loaded.ok()) return loaded.status();
  identity::Options id_options;
  id_options.transformer = setup.config.transformer;
  id_options.command = setup.config.command;
  id_options.as_of = setup.as_of;
  CAISSON_RETURN_IF_ERROR(
      identity::Transform(*setup.profile, id_options, &loaded->books, &loaded->sensitive, &findings));
  certify::Population p;
  const model::Books& books = loaded->books;
  p.fdids.reserve(books.fdids.size());
  for (const model::Fdid& f : books.fdids) {
    if (!f.firm_designated_id) continue;
    certify::BooksFdid out;
    out.fdid = std::string(*f.firm_designated_id);
    // [guide §6.2] an agent's population is counted per Industry Member: the correspondentCRD the FDID travels
    // under, else the firm itself.
    out.member_crd = f.correspondent_crd.has_value() && f.correspondent_crd.value > 0 ? f.correspondent_crd.value
                                                                                        : setup.config.cat_reporter_crd;
    for (const model::Association& a : f.fdid_customer_list) out.customers.push_back(a.customer_key);
    p.fdids.push_back(std::move(out));
  }
  p.customers.reserve(books.customers.size());
  for (const model::Customer& c : books.customers) {
    certify::BooksCustomer out;
    out.customer_id = c.key;
    if (c.tid && c.tid->tid_type) out.tid = certify::ParseTidType(*c.tid->tid_type);
    p.customers.push_back(std::move(out));
  }
  return p;
}

}  // namespace

int RunCertify(const Common& common, const CertifyArgs& args) {
  Result<Setup> setup = Prepare(common, args.books);
  if (!setup.ok()) return Fail(setup.status());
  certify::Input input;
  if (args.role == "via-agent") {
    // [guide §6.3] the agent certifies with the data; the firm only confirms it did.
    input.role = certify::Role::kViaAgent;
    input.agents_certified = args.agents_certified;
  } else {
    Result<certify::Population> population = LoadPopulation(*setup, args.books);
    if (!population.ok()) return Fail(population.status());
    // No store yet means nothing was submitted: the checklist still shows the population and the level.
    std::error_code ec;
    const bool has_store = std::filesystem::exists(StatePath(setup->config), ec);
    std::unique_ptr<state::Store> store;
    if (has_store) {
      Result<std::unique_ptr<state::Store>> opened = OpenStore(setup->config, false);
      if (!opened.ok()) return Fail(opened.status());
      store = std::move(opened.value());
    }
    Status s = certify::FillFromStore(store.get(), *population, &input);
    if (!s.ok()) return Fail(s);
    if (args.role == "self") {
      input.role = certify::Role::kSelfReporting;
    } else if (args.role == "agent") {
      input.role = certify::Role::kReportingAgent;
    } else if (args.role == "no-fdids") {
      input.role = certify::Role::kNoFdids;
    } else {
      // auto: FDIDs reported for another Industry Member make the firm a §6.2 clearing firm / agent.
      input.role = certify::Role::kSelfReporting;
      for (const certify::Member& m : input.members) {
        if (m.crd != setup->config.cat_reporter_crd) input.role = certify::Role::kReportingAgent;
      }
    }
  }
  const certify::Report report = certify::Evaluate(input);
  const std::string out = common.json ? certify::ReportJson(report) : certify::ReportText(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return report.ready ? 0 : 1;
}

}  // namespace caisson::app
