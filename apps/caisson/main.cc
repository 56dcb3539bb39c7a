// caisson: one verb per job (cli.md). This file only parses argv and dispatches; the verbs live beside it.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"

namespace {

int Main(int argc, char** argv) {
  using caisson::app::BooksArgs;
  using caisson::app::Common;
  CLI::App app{"caisson — FINRA CAT CAIS submissions from a firm's books and records"};
  app.set_version_flag("--version", std::string("caisson ") + CAISSON_VERSION);
  app.require_subcommand(1);

  Common common;
  std::string format = "text";
  auto add_common = [&](CLI::App* sub, bool with_profile) {
    sub->add_option("--config", common.config, "caisson.toml (default ./caisson.toml, else BOOKS/caisson.toml)");
    sub->add_option("--format", format, "text (default) or json (machine-readable result on stdout)")
        ->check(CLI::IsMember({"text", "json"}));
    if (with_profile) sub->add_option("--profile", common.profile, "spec profile (default: caisson.toml's)");
  };

  BooksArgs books;
  auto* validate = app.add_subcommand("validate", "check books and records against every rule; writes nothing");
  validate->add_option("BOOKS", books.books, "books-and-records folder")->required();
  add_common(validate, true);

  auto* build = app.add_subcommand("build", "validate, transform identifiers and write paired CAIS + TID files");
  build->add_option("BOOKS", books.books, "books-and-records folder")->required();
  build->add_option("--out", books.out, "output folder")->required();
  build->add_option("--group", books.group, "file-name Group, [A-Za-z0-9]{1,20} (overrides [output] group)");
  build->add_flag("--portal", books.portal, "CAT Reporter Portal upload limits (1 GB; 100,000 records per file)");
  build->add_option("--file-date", books.file_date, "File Generation Date YYYYMMDD (default today, New York)");
  build->add_flag("--delta", books.delta, "send only what changed since the last submission (with its closure)");
  build->add_flag("--full", books.full, "send every current record (the default)");
  build->get_option("--delta")->excludes(build->get_option("--full"));
  build->add_flag("--repair", books.repair,
                  "send only repairs: rejected records, correctionList entries, DELETEs, inconsistency resolutions");
  build->get_option("--repair")->excludes(build->get_option("--full"));
  build->add_flag("--end-inactive", books.end_inactive,
                  "end INACTIVE the FDIDs with no CAT-reportable activity in the last six months (needs "
                  "last_activity_date)");
  build->add_option("--scan", books.scan,
                    "auto (default): a delta (and --repair) reads only the records whose books rows changed since "
                    "they were last emitted, those not yet accepted or with open repairs or inconsistencies, and "
                    "their closure; "
                    "the rest is as last emitted, so checks across records (e.g. a new customer reusing an "
                    "unchanged one's identifier) see only what is read and findings on unchanged records are not "
                    "repeated. full: read and check the whole books (also CAISSON_DELTA_SCAN=full)")
      ->check(CLI::IsMember({"auto", "full"}));
  add_common(build, true);

  caisson::app::AcceptArgs accept_args;
  auto* accept = app.add_subcommand("accept", "record that CAIS accepted a submission (some records may be rejected)");
  accept->add_option("SUBMISSION", accept_args.submission, "submission number (caisson status)")->required();
  accept->add_option("--date", accept_args.date, "acceptance date YYYYMMDD (default today, New York)");
  accept->add_option("--reject-fdid", accept_args.rejected_fdids, "an FDID CAIS rejected (repeatable)");
  accept->add_option("--reject-customer", accept_args.rejected_customers,
                     "a customer_id CAIS rejected (repeatable; its FDIDs in the submission go with it)");
  add_common(accept, false);

  auto* status = app.add_subcommand("status", "what the state store knows: records, submissions, refresh due");
  add_common(status, false);

  std::vector<std::filesystem::path> paths;
  bool check_portal = false;
  auto* check = app.add_subcommand("check", "validate CAIS Data/TID file pairs made by any tool");
  check->add_option("PATH", paths, "files or folders")->required();
  check->add_flag("--portal", check_portal, "apply the portal upload limits");
  add_common(check, true);

  std::filesystem::path show_file;
  int64_t max_records = -1;
  auto* show = app.add_subcommand("show", "pretty-print a CAIS .json.bz2 or .json file");
  show->add_option("FILE", show_file, "file")->required();
  show->add_option("--max-records", max_records, "show the first N items of each list and count the rest");

  int64_t accounts = 0;
  uint64_t seed = 1;
  double defects = 0.0;
  std::filesystem::path gen_out;
  auto* gen = app.add_subcommand("gen", "write a synthetic books folder and caisson.toml");
  gen->add_option("--accounts", accounts, "number of FDIDs")->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  gen->add_option("--seed", seed, "seed (same seed, same bytes)");
  gen->add_option("--defects", defects, "fraction of accounts with one planted defect")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--out", gen_out, "output books folder")->required();
  std::filesystem::path gen_cais;
  gen->add_option("--cais", gen_cais,
                  "also write the books as CAIS files into this folder, planted defects left in (to try `check`)");

  caisson::app::GenEventsArgs gen_events;
  gen->add_option("--events", gen_events.books, "write CAT order-event files for this generated books folder");
  gen->add_option("--orders-per-account", gen_events.orders_per_account, "--events: clean orders per account");
  gen->add_option("--days", gen_events.days, "--events: number of event dates (weekdays)");
  gen->add_option("--date", gen_events.date, "--events: last event date (default: the books' as_of)");

  caisson::app::TxnReconcileArgs txn_reconcile_args;
  auto* txn = app.add_subcommand("txn", "the transaction side: CAT order events against the CAIS state");
  txn->require_subcommand(1);
  auto* txn_reconcile = txn->add_subcommand("reconcile", "predict CAT's FDID errors (37xx) before CAT checks");
  txn_reconcile->add_option("EVENTS", txn_reconcile_args.events, "order-event files or folders")->required();
  txn_reconcile->add_option("--date", txn_reconcile_args.date, "as of the end of this day (default: now)");
  txn_reconcile->add_flag("--inactive-candidates", txn_reconcile_args.inactive_candidates,
                          "list accepted open FDIDs on no event of the last 6 months");
  add_common(txn_reconcile, false);

  auto* spec = app.add_subcommand("spec", "inspect a spec profile");
  spec->require_subcommand(1);
  auto* spec_show = spec->add_subcommand("show", "list a profile's objects and fields");
  add_common(spec_show, true);
  std::filesystem::path schema_out;
  auto* spec_schema = spec->add_subcommand("schema", "write JSON Schemas of the Data and TID files");
  spec_schema->add_option("--out", schema_out, "output folder")->required();
  add_common(spec_schema, true);

  std::vector<std::filesystem::path> feedback_paths;
  auto* feedback = app.add_subcommand("feedback", "read CAIS's feedback files into the state store");
  feedback->require_subcommand(1);
  auto* feedback_ingest =
      feedback->add_subcommand("ingest", "record per-file feedback (v1-v4); a final status settles the records");
  feedback_ingest->add_option("PATH", feedback_paths, "feedback files or folders of them")->required();
  add_common(feedback_ingest, true);

  std::string fetch_env;
  bool fetch_no_ingest = false;
  auto* feedback_fetch =
      feedback->add_subcommand("fetch", "download new feedback and reports over SFTP, then ingest them");
  feedback_fetch->add_option("--env", fetch_env, "test, prodmirror or production")->required();
  feedback_fetch->add_flag("--no-ingest", fetch_no_ingest, "only download into the inbox");
  add_common(feedback_fetch, true);

  caisson::app::SubmitArgs submit_args;
  auto* submit = app.add_subcommand("submit", "upload CAIS/TID file pairs to CAT over SFTP");
  submit->add_option("DIR", submit_args.dir, "folder of file pairs (one sub-folder per member allowed)")->required();
  submit->add_option("--env", submit_args.env, "test, prodmirror or production")->required();
  submit->add_option("--member", submit_args.member, "only this member's files (its CRD)");
  submit->add_flag("--all", submit_args.all, "every member with files waiting; exit 1 if any member failed");
  submit->get_option("--member")->excludes(submit->get_option("--all"));
  add_common(submit, true);

  caisson::app::OrgArgs org_args;
  auto* org = app.add_subcommand("org", "the firm's CAT set-up: members, relationships, SFTP accounts, users");
  org->require_subcommand(1);
  auto* org_show = org->add_subcommand("show", "list the set-up");
  add_common(org_show, false);
  auto* org_firm = org->add_subcommand("set-firm", "the firm's role");
  org_firm->add_option("--role", org_args.role, "self-reporting, clearing or agent")->required();
  add_common(org_firm, false);
  auto* org_member = org->add_subcommand("add-member", "an Industry Member the firm reports for");
  org_member->add_option("CRD", org_args.crd, "its CRD")->required();
  org_member->add_option("--name", org_args.name, "its name")->required();
  org_member->add_option("--correspondent", org_args.correspondents, "a correspondent CRD (repeatable)");
  org_member->add_option("--books-config", org_args.books_config,
                         "the member's caisson.toml: feedback fetch ingests its files into that store");
  add_common(org_member, false);
  auto* org_rel = org->add_subcommand("add-relationship", "a CAIS reporting relationship in one environment");
  org_rel->add_option("--env", org_args.env, "test, prodmirror or production")->required();
  org_rel->add_option("--member", org_args.crd, "the member's CRD")->required();
  org_rel->add_option("--start", org_args.start, "YYYY-MM-DD (default today)");
  org_rel->add_option("--end", org_args.end, "YYYY-MM-DD (default open)");
  add_common(org_rel, false);
  auto* org_account = org->add_subcommand("add-account", "an SFTP account of one environment");
  org_account->add_option("--env", org_args.env, "test, prodmirror or production")->required();
  org_account->add_option("--user", org_args.user, "the SFTP user name")->required();
  org_account->add_option("--entitlement", org_args.entitlement, "sftp-user or sftp-read-only")->required();
  org_account->add_flag("--production", org_args.production, "holds Reporter Production User");
  add_common(org_account, false);
  auto* org_user = org->add_subcommand("add-user", "a Caisson user with a first role (the first is administrator)");
  org_user->add_option("USER", org_args.user, "user name ($CAISSON_USER or $USER of who acts)")->required();
  org_user->add_option("--role", org_args.role, "reporter, read-only, production or administrator")->required();
  add_common(org_user, false);
  auto* org_grant = org->add_subcommand("grant", "give a user a role");
  org_grant->add_option("USER", org_args.user, "user name")->required();
  org_grant->add_option("ROLE", org_args.role, "reporter, read-only, production or administrator")->required();
  add_common(org_grant, false);
  auto* org_revoke = org->add_subcommand("revoke", "take a role from a user");
  org_revoke->add_option("USER", org_args.user, "user name")->required();
  org_revoke->add_option("ROLE", org_args.role, "reporter, read-only, production or administrator")->required();
  add_common(org_revoke, false);

  auto* repair = app.add_subcommand("repair", "rejections to repair, from CAIS's feedback");
  repair->require_subcommand(1);
  auto* repair_list = repair->add_subcommand("list", "open items first, earliest deadline first, with hours left");
  std::string repair_now;
  repair_list->add_option("--now", repair_now, "the moment hours left and overdue are counted from (default: now)");
  add_common(repair_list, true);

  auto* audit = app.add_subcommand("audit", "check or export the audit trail of the state store");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "recompute the hash chain; name the first bad event");
  add_common(audit_verify, false);
  std::filesystem::path audit_out;
  auto* audit_export = audit->add_subcommand("export", "write the events as JSON lines (stdout by default)");
  audit_export->add_option("--out", audit_out, "output file");
  add_common(audit_export, false);

  caisson::app::DeadlinesArgs deadlines_args;
  auto* deadlines = app.add_subcommand("deadlines", "the CAT Trading Day of a moment and the CAIS deadlines");
  deadlines->add_option("--received", deadlines_args.received,
                        "when the firm received the data: YYYY-MM-DDTHH:MM[:SS] New York time, or with Z/+HH:MM");
  deadlines->add_option("--identified", deadlines_args.identified, "when CAIS identified a Material Inconsistency");
  deadlines->add_option("--inconsistency-deadline", deadlines_args.inconsistency_deadline,
                        "an inconsistencyDeadline as CAIS gave it (YYYYMMDDTHHMMSS.f, Eastern Time)");
  deadlines->add_option("--refresh-report", deadlines_args.refresh_report, "YYYY-MM: the FDID Refresh Report's date");
  add_common(deadlines, false);

  caisson::app::CertifyArgs certify_args;
  auto* certify = app.add_subcommand("certify", "production-readiness checklist (CAIS Onboarding Guide §6-§7)");
  certify->add_option("BOOKS", certify_args.books, "books-and-records folder")->required();
  certify->add_option("--role", certify_args.role, "auto (default), self, agent, via-agent or no-fdids (mock data)")
      ->check(CLI::IsMember({"auto", "self", "agent", "via-agent", "no-fdids"}));
  certify->add_flag("--agents-certified", certify_args.agents_certified,
                    "via-agent: every CAT Reporting Agent of the firm has certified for it");
  add_common(certify, true);

  caisson::app::ReportCardArgs card_args;
  auto* card = app.add_subcommand("report-card",
                                  "estimate of the compliance error rate per day, firm / self / correspondent");
  card->add_option("--from", card_args.from, "first File Generation Date YYYY-MM-DD");
  card->add_option("--to", card_args.to, "last File Generation Date YYYY-MM-DD");
  card->add_option("--now", card_args.now, "the moment that decides what is overdue (default: now)");
  card->add_option("--threshold", card_args.threshold, "flag rates above this fraction (default: the formula's)")
      ->check(CLI::Range(0.0, 1.0));
  card->add_option("--formula", card_args.formula, "formula file (default data/reportcard/estimate.json)");
  add_common(card, false);

  caisson::app::CaisSimArgs sim_args;
  auto* cais_sim = app.add_subcommand("cais-sim", "play CAIS for a test: answer uploaded file pairs with their feedback, then the daily sets");
  cais_sim->add_option("UPLOAD_DIR", sim_args.upload, "folder of uploaded CAIS/TID file pairs")->required();
  cais_sim->add_option("--out", sim_args.out, "feedback folder")->required();
  cais_sim->add_option("--now", sim_args.now, "when CAIS receives the files: YYYY-MM-DDTHH:MM[:SS] New York time, or with Z");
  cais_sim->add_option("--state", sim_args.state, "the simulator's own store (default FEEDBACK_DIR/cais-sim.db)");
  cais_sim->add_option("--known-crd", sim_args.known_crds, "a CAT Reporter CRD CAIS knows (repeatable; enables 22054)");
  cais_sim->add_option("--submitter-id", sim_args.cat_submitter_id, "the uploader's own CAT Submitter ID");
  cais_sim->add_flag("--refresh-report", sim_args.refresh_report,
                     "write the FDID Refresh Report today (default: on the 3rd CAT Trading Day of the month)");
  add_common(cais_sim, true);

  caisson::app::TxnFromFixArgs from_fix_args;
  auto* txn_from_fix = txn->add_subcommand("from-fix", "turn FIX 4.2/4.4 logs into CAT order-event files");
  txn_from_fix->add_option("LOG", from_fix_args.logs, "FIX logs, in order")->required();
  txn_from_fix->add_option("--map", from_fix_args.map, "map.toml: IMIDs, sessions, accounts -> FDIDs")->required();
  txn_from_fix->add_option("--out", from_fix_args.out, "output folder")->required();
  txn_from_fix->add_option("--file-date", from_fix_args.file_date, "File Generation Date YYYYMMDD (default today)");
  txn_from_fix->add_flag("--no-compress", from_fix_args.no_compress, "write .json instead of .json.bz2");
  add_common(txn_from_fix, false);
  caisson::app::TxnCheckArgs txn_check_args;
  auto* txn_check = txn->add_subcommand("check", "linkage checks before submission, with the CAT codes predicted");
  txn_check->add_option("EVENTS", txn_check_args.events, "order-event files or folders of them")->required();
  txn_check->add_option("--store", txn_check_args.store, "multi-day order store (default: orders.db beside the "
                        "state store)");
  txn_check->add_flag("--no-store", txn_check_args.no_store, "check without orders of earlier days");
  txn_check->add_option("--clock-drift-ms", txn_check_args.clock_drift_ms, "drift allowed before 3601 (default 50)")
      ->check(CLI::Range(int64_t{0}, int64_t{3600000}));
  add_common(txn_check, false);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Debian's CLI11 2.1.2 maps parse errors to 100-127; cli.md wants 2 for bad usage and 0 for --help.
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  common.json = format == "json";

  if (validate->parsed()) return caisson::app::RunValidate(common, books);
  if (build->parsed()) {
    books.group_set = build->count("--group") > 0;
    if (books.repair) books.delta = true;  // a repair build is a delta restricted to repairs
    return caisson::app::RunBuild(common, books);
  }
  if (accept->parsed()) return caisson::app::RunAccept(common, accept_args);
  if (status->parsed()) return caisson::app::RunStatus(common);
  if (check->parsed()) return caisson::app::RunCheck(common, paths, check_portal);
  if (show->parsed()) return caisson::app::RunShow(show_file, max_records);
  if (gen->parsed() && gen->count("--events") > 0) {
    gen_events.out = gen_out;
    gen_events.seed = seed;
    gen_events.defects = defects;
    return caisson::app::RunGenEvents(gen_events);
  }
  if (gen->parsed()) {
    if (accounts < 1) {
      std::fprintf(stderr, "caisson gen: --accounts is required (or --events BOOKS)\n");
      return 2;
    }
    int rc = caisson::app::RunGen(accounts, seed, defects, gen_out);
    if (rc == 0 && !gen_cais.empty()) rc = caisson::app::RunGenCais(common, gen_out, gen_cais);
    return rc;
  }
  if (txn_reconcile->parsed()) return caisson::app::RunTxnReconcile(common, txn_reconcile_args);
  if (spec_show->parsed()) return caisson::app::RunSpecShow(common);
  if (spec_schema->parsed()) return caisson::app::RunSpecSchema(common, schema_out);
  if (feedback_ingest->parsed()) return caisson::app::RunFeedbackIngest(common, feedback_paths);
  if (repair_list->parsed()) return caisson::app::RunRepairList(common, repair_now);
  if (audit_verify->parsed()) return caisson::app::RunAuditVerify(common);
  if (audit_export->parsed()) return caisson::app::RunAuditExport(common, audit_out);
  if (deadlines->parsed()) return caisson::app::RunDeadlines(common, deadlines_args);
  if (certify->parsed()) return caisson::app::RunCertify(common, certify_args);
  if (feedback_fetch->parsed()) return caisson::app::RunFeedbackFetch(common, fetch_env, !fetch_no_ingest);
  if (submit->parsed()) return caisson::app::RunSubmit(common, submit_args);
  for (CLI::App* sub : org->get_subcommands()) {
    if (sub->parsed()) {
      org_args.verb = sub->get_name();
      return caisson::app::RunOrg(common, org_args);
    }
  }
  if (card->parsed()) return caisson::app::RunReportCard(common, card_args);
  if (cais_sim->parsed()) return caisson::app::RunCaisSim(common, sim_args);
  if (txn_from_fix->parsed()) return caisson::app::RunTxnFromFix(common, from_fix_args);
  if (txn_check->parsed()) return caisson::app::RunTxnCheck(common, txn_check_args);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // Every time this fires is a bug: modules return Status, they do not throw.
    std::fprintf(stderr, "caisson: internal error: %s\n", e.what());
    return 2;
  }
}
