// `caisson validate` and `caisson build`: books -> ingest -> identity -> validate -> (emit).
#include <algorithm>
#include <cstdio>
#include <future>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "audit/audit.h"
#include "base/timings.h"
#include "batched_validate.h"
#include "build_steps.h"
#include "caisjson/caisjson.h"
#include "commands.h"
#include "config/config.h"
#include "delta/delta.h"
#include "emit/emit.h"
#include "fast_delta.h"
#include "identity/identity.h"
#include "ingest/ingest.h"
#include "pipeline.h"
#include "record_beside.h"
#include "setup.h"
#include "state/state.h"
#include "state_use.h"
#include "streamed_build.h"
#include "validate/validate.h"

namespace caisson::app {

void PrintFindingsText(const std::vector<Finding>& findings, size_t limit, const char* more) {
  size_t shown = 0;
  for (const Finding& f : findings) {
    if (shown++ == limit) {
      std::fprintf(stderr, "  ... and %zu more (see %s)\n", findings.size() - limit, more);
      break;
    }
    std::string where = f.file.empty() ? std::string("-") : f.file;
    if (f.line > 0) where += fmt::format(":{}", f.line);
    std::fprintf(stderr, "  %s %s [%s%s%s] %s%s%s: %s\n", where.c_str(), std::string(SeverityName(f.severity)).c_str(),
                 f.rule.c_str(), f.cais_code.empty() ? "" : " ", f.cais_code.c_str(), f.key.c_str(),
                 f.field.empty() ? "" : " ", f.field.c_str(), f.message.c_str());
  }
}

Status ValidateBooks(const Setup& setup, const std::filesystem::path& dir, model::Books* books, Outcome* outcome,
                     int32_t as_of, const Subset* subset) {
  if (as_of == 0) as_of = setup.as_of;
  ingest::Options ingest_options;
  ingest_options.as_of = as_of;
  if (subset != nullptr) {
    ingest_options.keep_fdid = subset->fdid;
    ingest_options.keep_customer = subset->customer;
    ingest_options.excerpt = subset->excerpt;
  }
  Result<ingest::Loaded> loaded = ingest::LoadBooks(dir, ingest_options, &outcome->findings);
  if (!loaded.ok()) return loaded.status();
  *books = std::move(loaded->books);
  outcome->valid_from_dates = std::move(loaded->valid_from_dates);

  identity::Options id_options;
  id_options.transformer = setup.config.transformer;
  id_options.command = setup.config.command;
  id_options.as_of = as_of;
  CAISSON_RETURN_IF_ERROR(
      identity::Transform(*setup.profile, id_options, books, &loaded->sensitive, &outcome->findings));

  validate::Options options;
  options.mode = validate::Mode::kBooks;
  options.as_of = as_of;
  options.policy = setup.config.rules;
  CAISSON_RETURN_IF_ERROR(validate::Validate(*setup.profile, *books, options, &outcome->findings));
  outcome->holds = validate::ResolveHolds(*books, options, &outcome->findings);
  outcome->summary = validate::Summarise(*books, outcome->holds, outcome->findings);
  return Status::OK();
}

int RunValidate(const Common& common, const BooksArgs& args) {
  Result<Setup> setup = Prepare(common, args.books);
  if (!setup.ok()) return Fail(setup.status());
  Outcome outcome;
  size_t batches = 0;
  Status run = ValidateBooksInBatches(*setup, args.books, BatchOptionsFromEnvironment(), &outcome, &batches);
  if (!run.ok()) return Fail(run);
  if (common.json) {
    std::string doc = validate::FindingsJson(setup->profile->name(), outcome.summary, outcome.findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    PrintFindingsText(outcome.findings, 50);
  }
  PrintSummary("validate", outcome.summary);
  return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers, 0);
}

int RunBuild(const Common& common, const BooksArgs& args) {
  PhaseTimer timer("caisson build");
  Result<Setup> setup = Prepare(common, args.books);
  if (!setup.ok()) return Fail(setup.status());
  const config::Config& cfg = setup->config;
  if (cfg.cat_submitter_id < 0 || cfg.cat_reporter_crd < 0) {
    return Fail(Status::InvalidArgument(cfg.path.empty() ? "caisson.toml" : cfg.path.string(),
                                        "[firm] cat_submitter_id and cat_reporter_crd are required to build"));
  }
  emit::Options options;
  options.cat_submitter_id = cfg.cat_submitter_id;
  options.cat_reporter_crd = cfg.cat_reporter_crd;
  options.group = args.group_set ? args.group : cfg.group;
  options.max_file_bytes = cfg.max_file_bytes;
  options.portal = args.portal || cfg.portal;
  options.out_dir = args.out;
  options.compressor =
      cfg.compressor == "libbz2" ? caisjson::Compressor::kLibbz2 : caisjson::Compressor::kLbzip2;
  options.file_date = setup->today;
  if (!args.file_date.empty()) {
    options.file_date = config::ParseDate(args.file_date);
    if (options.file_date < 0 || options.file_date > setup->today) {
      return Fail(Status::InvalidArgument("--file-date", "not a date YYYYMMDD on or before today (New York)"));
    }
  }
  if (args.group_set && !args.group.empty() && !config::IsValidGroup(args.group)) {
    return Fail(Status::InvalidArgument("--group", "must be 1 to 20 letters or digits and not \"caisweb\" [Table 10]"));
  }

  // An output folder this run makes goes again if the run writes nothing into it (a build that stops early,
  // the streamed build's spill gone): remove() takes only an empty folder.
  struct RemoveIfEmpty {
    std::filesystem::path dir;
    ~RemoveIfEmpty() {
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove(dir, ec);
    }
  };
  std::error_code exists_ec;
  const RemoveIfEmpty tidy{std::filesystem::exists(args.out, exists_ec) ? std::filesystem::path() : args.out};

  // The state store: the name register, what was emitted and accepted. A delta needs a full build before it,
  // and reads it first: the fast delta reads only the records that may have changed (fast_delta.h).
  std::unique_ptr<state::Store> store_owner;
  int64_t last_submission = 0;
  auto open_store = [&]() -> Status {
    if (store_owner != nullptr) return Status::OK();
    // A delta reads the books and the store's digests before its first write: the store's quick_check runs
    // beside that on the other core (state.h, defer_integrity_check).
    Result<std::unique_ptr<state::Store>> opened = OpenStore(cfg, !args.delta, args.delta);
    if (!opened.ok()) return opened.status();
    store_owner = std::move(opened).value();
    CAISSON_RETURN_IF_ERROR(MayWrite(*store_owner));
    int64_t recovered = 0;
    CAISSON_RETURN_IF_ERROR(delta::Recover(store_owner.get(), &recovered));
    if (recovered > 0) {
      std::fprintf(stderr, "caisson build: finished %lld file(s) of the last submission, which a killed run left\n",
                   static_cast<long long>(recovered));
    }
    // One read snapshot until the first write: Select and the delta read a row per record.
    CAISSON_RETURN_IF_ERROR(store_owner->HoldRead());
    Result<int64_t> last_id = store_owner->LastSubmissionId();
    if (!last_id.ok()) return last_id.status();
    last_submission = *last_id;
    if (args.delta && last_submission == 0) {
      return Status::InvalidArgument(StatePath(cfg).string(),
                                     "no submission recorded yet: run a full `caisson build` first");
    }
    return Status::OK();
  };
  FastDelta fast;
  if (args.delta) {  // --repair too: a delta that sends only the repairs
    const char* verb = args.repair ? "caisson build --repair" : "caisson build --delta";
    if (Status s = open_store(); !s.ok()) return Fail(s);
    timer.Mark("open");
    if (Status s = PrepareDelta(*setup, args, *store_owner, last_submission, &fast); !s.ok()) return Fail(s);
    timer.Mark("scan+choose");
    if (fast.on) {
      std::fprintf(stderr,
                   "%s: fast path: reading %lld of %zu FDIDs and %lld of %zu customers (%lld and %lld changed or "
                   "unsettled, the rest their closure); the others are as last emitted\n",
                   verb, static_cast<long long>(fast.load.fdids), fast.scan.fdid_digest.size(),
                   static_cast<long long>(fast.load.customers), fast.scan.customer_digest.size(),
                   static_cast<long long>(fast.load.seed_fdids), static_cast<long long>(fast.load.seed_customers));
    } else {
      // In batches, as a full build reads them (streamed_build.h), unless the delta needs them whole.
      if (MayStream(*setup, args)) {
        std::fprintf(stderr, "%s: reading the whole books in batches (%s)\n", verb, fast.why_full.c_str());
        int code = 0;
        Status streamed = RunStreamedBuild(common, args, *setup, options, store_owner.get(), &code);
        if (streamed.ok()) return code;
        if (streamed.code() != Status::Code::kNotSupported) return Fail(streamed);
        timer.Mark("streamed: not possible");
      }
      std::fprintf(stderr, "%s: reading the whole books at once (%s)\n", verb, fast.why_full.c_str());
      ScanForRecord(*setup, args, &fast);  // the digests the next delta compares
    }
  }
  const Subset* subset = fast.on ? &fast.subset : nullptr;

  // A first build need not hold the whole books (streamed_build.h); it falls back to them when it must.
  if (!args.delta) {
    if (Status s = open_store(); !s.ok()) return Fail(s);
    if (MayStream(*setup, args)) {
      int code = 0;
      Status streamed = RunStreamedBuild(common, args, *setup, options, store_owner.get(), &code);
      if (streamed.ok()) return code;
      if (streamed.code() != Status::Code::kNotSupported) return Fail(streamed);
      timer.Mark("streamed: not possible");
    }
  }

  // The fast delta knows its records before it reads them: their store rows are read on another thread while
  // this one ingests and validates (which do not touch the store), for Select and the activity rules.
  std::future<Status> preload;
  if (fast.on) {
    preload = std::async(std::launch::async, [&fast, store = store_owner.get()] {
      std::vector<std::string_view> fdids(fast.read_fdids.begin(), fast.read_fdids.end());
      std::vector<std::string_view> customers(fast.read_customers.begin(), fast.read_customers.end());
      std::sort(fdids.begin(), fdids.end());  // in the B-trees' order: neighbouring reads share pages
      std::sort(customers.begin(), customers.end());
      return store->Preload(fdids, customers);
    });
  }
  model::Books books;
  Outcome outcome;
  // The whole books are read in batches on every core; the fast delta's few records in one read.
  size_t batches = 0;
  Status run = subset == nullptr
                   ? ReadBooksInBatches(*setup, args.books, BatchOptionsFromEnvironment(), &books, &outcome, &batches)
                   : ValidateBooks(*setup, args.books, &books, &outcome, 0, subset);
  if (preload.valid()) {
    if (Status s = preload.get(); !s.ok()) return Fail(s);
  }
  if (!run.ok()) return Fail(run);
  if (fast.on) {
    timer.Mark("validate");
    Result<bool> widened = WidenToHeldComponents(books, outcome.holds, &fast);
    timer.Mark("held components");
    if (!widened.ok()) return Fail(widened.status());
    if (*widened) {
      std::fprintf(stderr,
                   "caisson build --delta: records held back reach past the records read: reading their whole "
                   "components, %lld FDIDs and %lld customers\n",
                   static_cast<long long>(fast.load.fdids), static_cast<long long>(fast.load.customers));
      books = model::Books();
      outcome = Outcome();
      run = ValidateBooks(*setup, args.books, &books, &outcome, 0, subset);
      if (!run.ok()) return Fail(run);
    }
  }
  timer.Mark(fast.on ? "validate again" : "validate");
  if (!args.delta) {
    if (Status s = open_store(); !s.ok()) return Fail(s);
    ScanForRecord(*setup, args, &fast);
  }
  state::Store& store = *store_owner;

  // [§5.4.1] states the books went through since the last submission go out in order, each once the one
  // before is accepted: a delta steps to the first of them when there are two or more.
  int32_t as_of = setup->as_of;
  if (args.delta) {
    Result<state::Submission> last = store.GetSubmission(last_submission);
    if (!last.ok()) return Fail(last.status());
    std::vector<int32_t> pending;
    for (int32_t d : outcome.valid_from_dates) {
      if (last->as_of > 0 && d > last->as_of && d <= setup->as_of) pending.push_back(d);
    }
    if (pending.size() >= 2) {
      if (last->status.rfind("accepted", 0) != 0) {
        Status audited = AuditNothingWritten(&store, "delta", options.file_date, "waiting for acceptance", last->id);
        if (!audited.ok()) return Fail(audited);
        std::fprintf(stderr,
                     "caisson build --delta: the books went through %zu states since submission %lld, which is not "
                     "accepted yet; each state goes out once the one before is accepted [§5.4.1]. Nothing written\n",
                     pending.size(), static_cast<long long>(last->id));
        return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers, 0);
      }
      as_of = pending.front();
      Finding f;
      f.rule = "state.sequence";
      f.severity = Severity::kWarning;
      f.message = fmt::format(
          "The books went through {} states since the last submission; this one sends the state of {}, and each "
          "later one goes out after the one before it is accepted [§5.4.1].",
          pending.size(), as_of);
      books = model::Books();
      outcome = Outcome();
      run = ValidateBooks(*setup, args.books, &books, &outcome, as_of, subset);
      if (!run.ok()) return Fail(run);
      outcome.findings.push_back(std::move(f));
      SortAndDedupe(&outcome.findings);
      outcome.summary = validate::Summarise(books, outcome.holds, outcome.findings);
      std::fprintf(stderr, "caisson build --delta: sending the books as of %d, the first of %zu states not yet sent\n",
                   as_of, pending.size());
    }
  }

  delta::ActivityOptions activity_options;
  activity_options.as_of = as_of;
  activity_options.end_inactive = args.end_inactive;
  activity_options.lookup = fast.on;
  Result<delta::ActivityReport> activity = delta::ApplyActivity(&books, outcome.holds, store, activity_options);
  if (!activity.ok()) return Fail(activity.status());
  if (fast.on) {  // as last emitted: ended INACTIVE, or without activity data
    activity->still_inactive += fast.load.unread_inactive;
    activity->without_activity += fast.load.unread_without_activity;
  }
  PrintActivity(*activity, args.end_inactive);

  timer.Mark("activity");
  const emit::Fingerprints fps = emit::ComputeFingerprints(*setup->profile, books);
  delta::Options delta_options;
  delta_options.full = !args.delta;
  delta_options.out_of_scope = activity->out_of_scope_fdid;
  if (auto it = cfg.rules.find("state.pairing"); it != cfg.rules.end()) delta_options.pairing_policy = it->second;
  if (cfg.enforce_refresh) delta_options.refresh_accepted_on_or_before = delta::MonthsBefore(as_of, 11);
  Result<int64_t> inconsistencies = OpenInconsistencies(store, books, &delta_options.resend_customers);
  if (!inconsistencies.ok()) return Fail(inconsistencies.status());
  TellSelect(fast, &delta_options);
  Result<delta::Plan> plan =
      delta::Select(books, outcome.holds, fps.fdid, fps.customer, store, delta_options);
  if (!plan.ok()) return Fail(plan.status());
  timer.Mark("select");
  AttachDigests(books, fast, &*plan);
  if (args.repair) {
    Result<int64_t> kept = RepairsOnly(store, books, &*plan);
    if (!kept.ok()) return Fail(kept.status());
    std::fprintf(stderr, "caisson build --repair: %lld FDID(s) carry a repair; other changes wait for --delta\n",
                 static_cast<long long>(*kept));
  }
  // The flag goes into the file, not into the fingerprints: it is not state CAIS keeps, and a customer that
  // carried it is not "changed" once the inconsistency is resolved.
  int64_t resolving = 0;
  for (size_t c = 0; c < books.customers.size(); ++c) {
    if (!delta_options.resend_customers[c] || !plan->customer[c]) continue;
    books.customers[c].update_notification = model::Flag::Of(true);
    ++resolving;
  }
  // [§6.6.4] a known change of yearOfBirth (or of a foreign customer's kind) is announced with the flag.
  std::vector<Finding> predicted;
  const int64_t proactive = delta::ProactiveUpdates(&books, *plan, &predicted);
  if (proactive > 0) PrintProactive(proactive);
  if (!predicted.empty()) {
    outcome.findings.insert(outcome.findings.end(), predicted.begin(), predicted.end());
    SortAndDedupe(&outcome.findings);
    outcome.summary = validate::Summarise(books, outcome.holds, outcome.findings);
  }
  if (*inconsistencies > 0) PrintInconsistencies(*inconsistencies, resolving);
  if (!plan->findings.empty()) {
    outcome.findings.insert(outcome.findings.end(), plan->findings.begin(), plan->findings.end());
    SortAndDedupe(&outcome.findings);
    outcome.summary = validate::Summarise(books, outcome.holds, outcome.findings);
  }
  {
    // [§6.6.2.1] five rejection codes are repaired only through the correctionList, with the record resent;
    // a rejection whose record left the books is DELETEd, which needs a file even when nothing else changed.
    std::vector<bool> fdid_sent(plan->fdid.size());
    for (size_t i = 0; i < fdid_sent.size(); ++i) fdid_sent[i] = plan->fdid[i] != delta::Reason::kNotSent;
    Result<std::vector<emit::Correction>> corrections = CorrectionsFor(store, books, fdid_sent, plan->customer);
    if (!corrections.ok()) return Fail(corrections.status());
    options.corrections = std::move(corrections).value();
  }
  const std::string kind = args.repair ? "repair" : args.delta ? "delta" : "full";
  const std::string digest = BuildDigest(kind, setup->profile->name(), options, books, fps, *plan);
  if (last_submission > 0) {
    Result<state::Submission> last = store.GetSubmission(last_submission);
    if (!last.ok()) return Fail(last.status());
    if (last->input_digest == digest) {
      Status audited = AuditNothingWritten(&store, kind, options.file_date, "already built", last->id);
      if (!audited.ok()) return Fail(audited);
      PrintSummary("build", outcome.summary);
      std::fprintf(stderr, "caisson build: this build is submission %lld already (%s); nothing written\n",
                   static_cast<long long>(last->id), last->out_dir.c_str());
      return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers, 0);
    }
  }
  if (args.delta) {
    PrintDeltaCounts(*plan);
    const bool deletes = std::any_of(options.corrections.begin(), options.corrections.end(),
                                     [](const emit::Correction& c) { return c.remove; });
    if (plan->empty() && !deletes) {
      Status audited = AuditNothingWritten(&store, kind, options.file_date, "nothing changed", 0);
      if (!audited.ok()) return Fail(audited);
      Result<int64_t> remembered =
          delta::RememberDigests(books, *plan, outcome.holds, fps.fdid, fps.customer, &store);
      if (!remembered.ok()) return Fail(remembered.status());
      std::string doc = validate::FindingsJson(setup->profile->name(), outcome.summary, outcome.findings);
      if (common.json) std::fwrite(doc.data(), 1, doc.size(), stdout);
      else PrintFindingsText(outcome.findings, 20);
      PrintSummary("build", outcome.summary);
      std::fprintf(stderr, "caisson build --delta: nothing changed since the last submission; no files written\n");
      return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers + plan->pairing_held, 0);
    }
  }
  timer.Mark("prepare");
  if (Status s = store.Integrity(); !s.ok()) return Fail(s);  // before any file is written
  timer.Mark("integrity");
  Result<int32_t> next = store.NextFileNumber(options.cat_submitter_id, options.cat_reporter_crd,
                                              options.file_date, options.group);
  if (!next.ok()) return Fail(next.status());
  options.first_file_number = *next;
  delta::AddPriorVersions(&books, &*plan);  // TID replacements [§3.2]: both versions in today's file
  if (plan->tid_replacements > 0) {
    std::fprintf(stderr, "caisson build: %lld customer(s) replace their TID: both versions go with every open FDID\n",
                 static_cast<long long>(plan->tid_replacements));
  }

  state::Submission submission;
  submission.kind = kind;
  submission.file_date = options.file_date;
  std::error_code ec;
  submission.out_dir = std::filesystem::absolute(args.out, ec).lexically_normal().string();
  submission.input_digest = digest;
  submission.as_of = as_of;
  if (fast.scanned) submission.scan_context = fast.context;
  const std::map<std::string, audit::Value> facts = BuildFacts(setup->profile->name(), outcome.summary, *activity);
  // The store records the submission on another thread while the files are compressed; its transaction
  // commits once they are complete (delta::Record's `complete`), or rolls back if they never are.
  RecordBeside recording;
  options.on_planned = [&](const emit::Written& planned) {
    std::vector<delta::SentFile> files = SentFiles(options, planned);
    CountPlanned(planned, &submission);
    recording.Start([&, files = std::move(files)](const delta::CompleteFiles& complete) mutable {
      return delta::Record(books, *plan, fps.fdid, fps.customer, std::move(files), facts, &submission, &store,
                           complete);
    });
  };
  Result<emit::Written> written = emit::WriteSubmission(
      *setup->profile, books, plan->emit_holds, options, [&](const emit::Written& complete) -> Status {
        timer.Mark("emit");
        Status recorded = CommitSubmission(args, *setup, options, complete, outcome, &recording);
        timer.Mark("record");
        return recorded;
      });
  // A failure before the files were complete: the recording rolls back.
  if (Status cancelled = recording.Cancel(); written.ok() && !cancelled.ok()) return Fail(cancelled);
  if (!written.ok()) return Fail(written.status());
  timer.Mark("rename");
  Status marked = delta::MarkWritten(submission.id, &store);
  if (!marked.ok()) return Fail(marked);
  Result<int64_t> remembered = delta::RememberDigests(books, *plan, outcome.holds, fps.fdid, fps.customer, &store);
  if (!remembered.ok()) return Fail(remembered.status());
  timer.Mark("remember");
  return ReportBuild(common, args, *setup, *written, outcome, submission, run, plan->pairing_held);
}

}  // namespace caisson::app
