// How the verbs reach the state store: its path, opening it for the firm, and the build's use of it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "delta/delta.h"
#include "emit/emit.h"
#include "model/model.h"
#include "state/state.h"

namespace caisson::app {

// [state] path, else caisson.db beside caisson.toml, else ./caisson.db (cli.md).
std::filesystem::path StatePath(const config::Config& config);

// Opens the store for the configured firm; `create` false makes a missing store an InvalidArgument that says
// a full build must come first.
Result<std::unique_ptr<state::Store>> OpenStore(const config::Config& config, bool create, bool defer_check = false);

// OK when the acting user (org::ActingUser) may change the store's CAIS data: a reporter (or more) once users
// are recorded; anyone in single-user mode (issue #10). The verbs that write call it before writing.
Status MayWrite(const state::Store& store);

// Correction Action Records for the open repair items whose code CAIS repairs only through the correctionList
// (22001, 22900, 22526, 22501, 22914 [§6.6.2.1]) and whose record goes out today (`fdid_sent`,
// `customer_sent` parallel to the Books): CORRECTION with that record. And a DELETE for every open item (codes
// 22001–23999) whose record is no longer in the books at all [§6.6.2.1].
Result<std::vector<emit::Correction>> CorrectionsFor(const state::Store& store, const model::Books& books,
                                                     const std::vector<bool>& fdid_sent,
                                                     const std::vector<bool>& customer_sent);

// The correctionList entry of one open repair item (CorrectionsFor, and the streamed build, which decides per
// record): a DELETE when its record is not in the books (`in_books` false), a CORRECTION naming `sent_index`
// (the index of its record among those sent, -1: not sent) for the five codes, else none.
std::optional<emit::Correction> CorrectionFor(const state::RepairItem& item, bool in_books, int32_t sent_index);

// `build --repair`: restricts `plan` to the FDIDs that carry an open repair item or a customer with one (or with
// an open inconsistency), through delta::KeepRepairsOnly. Returns how many FDIDs stay.
Result<int64_t> RepairsOnly(const state::Store& store, const model::Books& books, delta::Plan* plan);

// Marks in *resend (sized like books.customers) the customers with an open Material Inconsistency; they go out
// again with updateNotification true [§6.6.3]. Returns how many.
Result<int64_t> OpenInconsistencies(const state::Store& store, const model::Books& books, std::vector<bool>* resend);

}  // namespace caisson::app
