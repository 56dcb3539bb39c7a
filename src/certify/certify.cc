// The readiness rules of the Onboarding Guide §6-§7, as plain arithmetic over counts.
#include "certify/certify.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "base/finding.h"

namespace caisson::certify {

namespace {

// The guide caps the requirement at this many FDIDs [§6.1/§6.2 "Required FDID Records Submission"].
constexpr int64_t kFdidCap = 1000;

std::string FormatDate(int32_t d) { return fmt::format("{:04d}-{:02d}-{:02d}", d / 10000, d / 100 % 100, d % 100); }

std::string DateList(const std::vector<int32_t>& dates) {
  std::string out;
  for (size_t i = 0; i < dates.size(); ++i) {
    if (i > 0) out += ", ";
    out += FormatDate(dates[i]);
  }
  return out;
}

Step Manual(std::string id, std::string section, std::string title, std::string detail = "") {
  return Step{std::move(id), std::move(section), std::move(title), Outcome::kManual, std::move(detail)};
}

Step Check(std::string id, std::string section, std::string title, bool pass, std::string detail) {
  return Step{std::move(id), std::move(section), std::move(title), pass ? Outcome::kPass : Outcome::kFail,
              std::move(detail)};
}

// The steps shared by §6.1, §6.2 and §6.4: what was submitted, and how well. `s_level` is the guide's step
// that sets the level, `s_submit` the one that bounds the error rate and asks for the dates.
void SubmissionSteps(const Input& in, const std::string& s_level, const std::string& s_submit, Report* r) {
  const bool mock = in.role == Role::kNoFdids;
  std::string per_member;
  if (in.members.size() > 1) {
    for (const Member& m : in.members) {
      per_member += fmt::format("{}CRD {}: {} of {}", per_member.empty() ? "; " : ", ", m.crd, m.submitted_fdids,
                                m.fdids);
    }
  }
  r->steps.push_back(Check(
      "fdids", s_level,
      mock ? "Mock FDID records submitted (the §6.1/§6.2 level applied to the mock population)"
           : "FDID records submitted: at least 75% of the population or 1,000, whichever is fewer",
      r->population > 0 && r->submitted_fdids >= r->required_fdids,
      fmt::format("{} submitted of {} FDIDs{}; {} required{}", r->submitted_fdids, r->population,
                  in.role == Role::kReportingAgent ? " (all Industry Members reported for)" : "", r->required_fdids,
                  per_member)));

  r->steps.push_back(Check("customers", s_level, "Every customer record of the submitted FDIDs submitted",
                           in.customers_of_submitted > 0 &&
                               in.customers_of_submitted_sent == in.customers_of_submitted,
                           fmt::format("{} of {} customers associated with the submitted FDIDs submitted",
                                       in.customers_of_submitted_sent, in.customers_of_submitted)));

  bool tid_ok = true;
  std::string tid_detail;
  for (int t = 0; t < kTidTypes; ++t) {
    const char* name = TidTypeName(static_cast<TidType>(t));
    const int64_t have = in.tid_in_population[t];
    const int64_t sent = in.tid_submitted[t];
    if (!tid_detail.empty()) tid_detail += "; ";
    if (have == 0) {
      tid_detail += fmt::format("{}: none in the population, not required", name);
      if (sent > 0) tid_detail += fmt::format(" ({} submitted)", sent);
      continue;
    }
    if (sent == 0) tid_ok = false;
    tid_detail += fmt::format("{}: {} submitted ({} in the population)", name, sent, have);
  }
  r->steps.push_back(Check("tid_types", s_level,
                           "At least one submitted customer of each TID type the population has "
                           "(SSN/ITIN, EIN, FOREIGN)",
                           tid_ok, tid_detail));

  r->steps.push_back(Check("answered", s_submit, "CAIS has answered every submitted record",
                           in.submitted_records > 0 && in.awaiting_records == 0,
                           fmt::format("{} of {} submitted records still without CAIS's answer (feedback or "
                                       "caisson accept)",
                                       in.awaiting_records, in.submitted_records)));

  r->steps.push_back(Check("error_rate", s_submit, "Error rate 15% or less (rejected / submitted records)",
                           in.submitted_records > 0 && r->error_rate <= kMaxErrorRate,
                           fmt::format("{} rejected of {} submitted records: {:.2f}%", in.rejected_records,
                                       in.submitted_records, r->error_rate * 100.0)));

  r->steps.push_back(Check("dates", s_submit, "Submission dates recorded for the Help Desk",
                           !in.submission_dates.empty(),
                           in.submission_dates.empty() ? std::string("no submission yet")
                                                       : DateList(in.submission_dates)));
}

Step HelpDesk(const std::string& section, const Input& in) {
  return Manual("help_desk", section, "Contact the FINRA CAT Help Desk with the submission date(s) (§7)",
                in.submission_dates.empty() ? std::string("no submission dates yet")
                                            : "quote: " + DateList(in.submission_dates));
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kSelfReporting: return "self";
    case Role::kReportingAgent: return "agent";
    case Role::kViaAgent: return "via-agent";
    case Role::kNoFdids: return "no-fdids";
  }
  return "?";
}

const char* TidTypeName(TidType t) {
  switch (t) {
    case TidType::kSsnItin: return "SSN/ITIN";
    case TidType::kEin: return "EIN";
    case TidType::kForeign: return "FOREIGN";
  }
  return "?";
}

std::optional<TidType> ParseTidType(std::string_view tid_type) {
  for (int t = 0; t < kTidTypes; ++t) {
    if (tid_type == TidTypeName(static_cast<TidType>(t))) return static_cast<TidType>(t);
  }
  return std::nullopt;
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kManual: return "manual";
  }
  return "?";
}

int64_t RequiredFdids(int64_t population) {
  if (population <= 0) return 0;
  // 75 % rounded up, in integers: the guide's table has only exact quarters, and a fraction of an FDID
  // cannot be submitted, so "at least 75 %" means the next whole FDID.
  const int64_t three_quarters = (population * 3 + 3) / 4;
  return std::min(three_quarters, kFdidCap);
}

Report Evaluate(const Input& in) {
  Report r;
  r.role = in.role;
  for (const Member& m : in.members) {
    r.population += m.fdids;
    r.submitted_fdids += m.submitted_fdids;
  }
  r.required_fdids = RequiredFdids(r.population);
  // §6.4: mock data still has to contain FDIDs; at least one whatever the mock population.
  if (in.role == Role::kNoFdids) r.required_fdids = std::max<int64_t>(r.required_fdids, 1);
  if (in.submitted_records > 0) {
    r.error_rate = static_cast<double>(in.rejected_records) / static_cast<double>(in.submitted_records);
  }
  r.submission_dates = in.submission_dates;

  switch (in.role) {
    case Role::kSelfReporting:
      r.steps.push_back(Manual("login", "6.1 Step 1", "Log in to the CAT Reporter Portal - CAIS Test; connect to SFTP if used"));
      SubmissionSteps(in, "6.1 Step 2", "6.1 Step 3", &r);
      r.steps.push_back(HelpDesk("6.1 Step 4", in));
      break;
    case Role::kReportingAgent:
      r.steps.push_back(Manual("login", "6.2 Step 1",
                               "Both the Industry Member(s) and the agent log in to the Portal - CAIS Test; the agent "
                               "connects to SFTP if used"));
      r.steps.push_back(Manual("relationships", "6.2 Step 2",
                               "Each Industry Member establishes the CAIS Reporting Relationships in Test (§5)"));
      SubmissionSteps(in, "6.2 Step 3", "6.2 Step 4", &r);
      r.steps.push_back(HelpDesk("6.2 Step 5", in));
      break;
    case Role::kViaAgent:
      r.steps.push_back(Manual("login", "6.3 Step 1", "Log in to the CAT Reporter Portal - CAIS Test"));
      r.steps.push_back(Manual("relationships", "6.3 Step 2",
                               "Establish the CAIS Reporting Relationships in Test (§5)"));
      r.steps.push_back(Check("agents_certified", "6.3 Step 3",
                              "Every CAT Reporting Agent of the firm has certified on its behalf",
                              in.agents_certified,
                              in.agents_certified ? "confirmed by the firm (--agents-certified)"
                                                  : "not confirmed (pass --agents-certified once they have)"));
      r.steps.push_back(HelpDesk("6.3 Step 3", in));
      break;
    case Role::kNoFdids:
      r.steps.push_back(Manual("login", "6.4 Step 1",
                               "Log in to the Portal - CAIS Test (and the agent, if any); connect to SFTP if used"));
      r.steps.push_back(Manual("relationships", "6.4 Step 2",
                               "Establish the CAIS Reporting Relationships in Test (§5), if an agent reports"));
      SubmissionSteps(in, "6.4 Step 3", "6.4 Step 3", &r);
      r.steps.push_back(HelpDesk("6.4 Step 4", in));
      break;
  }
  r.ready = std::none_of(r.steps.begin(), r.steps.end(), [](const Step& s) { return s.outcome == Outcome::kFail; });
  return r;
}

std::string ReportJson(const Report& r) {
  std::string out = "{\"source\": ";
  AppendJsonString(kGuide, &out);
  out += fmt::format(", \"role\": \"{}\", \"ready\": {}, \"population_fdids\": {}, \"submitted_fdids\": {}, "
                     "\"required_fdids\": {}, \"error_rate\": {:.4f}, \"max_error_rate\": {:.2f}, "
                     "\"submission_dates\": [",
                     RoleName(r.role), r.ready ? "true" : "false", r.population, r.submitted_fdids,
                     r.required_fdids, r.error_rate, kMaxErrorRate);
  for (size_t i = 0; i < r.submission_dates.size(); ++i) {
    out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", FormatDate(r.submission_dates[i]));
  }
  out += "], \"steps\": [";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const Step& s = r.steps[i];
    out += i == 0 ? "{\"id\": " : ", {\"id\": ";
    AppendJsonString(s.id, &out);
    out += ", \"section\": ";
    AppendJsonString(s.section, &out);
    out += ", \"title\": ";
    AppendJsonString(s.title, &out);
    out += fmt::format(", \"outcome\": \"{}\", \"detail\": ", OutcomeName(s.outcome));
    AppendJsonString(s.detail, &out);
    out += "}";
  }
  out += "]}\n";
  return out;
}

std::string ReportText(const Report& r) {
  std::string out = fmt::format("CAIS certification readiness ({}; rules from the {}, §6-§7, not the CAIS spec)\n",
                                RoleName(r.role), kGuide);
  for (const Step& s : r.steps) {
    const char* mark = s.outcome == Outcome::kPass ? "PASS  " : s.outcome == Outcome::kFail ? "FAIL  " : "MANUAL";
    out += fmt::format("  [{}] {:<11} {}\n", mark, s.section, s.title);
    if (!s.detail.empty()) out += fmt::format("           {}\n", s.detail);
  }
  out += r.ready ? "Ready: every step Caisson can check passes; complete the MANUAL steps, then call the Help Desk.\n"
                 : "Not ready: see the FAIL steps.\n";
  return out;
}

}  // namespace caisson::certify
