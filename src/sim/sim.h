// sim: CAIS's side of the Industry Test environment, for a firm's own CI (`caisson cais-sim`;
// docs/cais-sim.md).
//
// Respond() plays what CAIS does with the files a firm uploads [§6.1–§6.5]: it answers every CAIS Data File /
// TID File pair of the upload folder it has not answered before with the per-file feedback v1–v4 of each file
// (`<base>.v<N>.feedback.json.bz2` [§6.1.2]; the elements of Tables 20–21; the versions and statuses of
// Tables 18–19), then writes the day's Outstanding Rejections set (metadata + data files, and the empty
// sentinel [§6.5; Tables 24–25]), the day's Outstanding Material Inconsistencies set [§6.4.2; Tables 22–23]
// and, on the 3rd CAT Trading Day of a month, the FDID Refresh Report [§3.8; Tables 6–7]. The judge is
// `check` (file integrity, pairing and every record rule a CAIS file can be checked with), plus what only
// CAIS can know, judged against the simulator's OWN store of what it accepted and rejected on earlier runs (a
// small SQLite file, never the firm's caisson.db):
//  * 23004: a REPLACED FDID whose replacedByFDID is neither accepted in the same file nor accepted before;
//  * 22054: a priorCATReporterCRD that is not a CAT Reporter CRD CAIS knows (Options::known_reporter_crds);
//  * 21001 / 21501: a file name already answered without an integrity error [§6.2 r1; §6.6.1];
//  * the correctionList against its open rejections (24001, 24009 in failedCorrectionItems) [§6.6.2.1], and
//    repairs by resubmission closing rejections [§6.6.2.2];
//  * Material Inconsistencies [§6.4.1; App B Table 32]: an accepted customer with an open association to an
//    open FDID whose TID (tidType, foreignTIDType, foreignTIDCountryCd, tidValue) CAIS holds with another
//    yearOfBirth, or under a FOREIGN OTHGOVT / NATIONALID TID as the other kind (natural person / legal
//    entity): 3000x against the version the same CRD and correspondent CRD accepted, unless
//    updateNotification is true [§6.6.4]; 4000x against another CRD's or another correspondent's version, to
//    both. updateNotification true resolves the open ones of the customer and CRD [§6.6.3]. No 30003 / 40003:
//    the judge applies 22544, after which App B Table 32 generates none;
//  * the FDID Refresh Report: open FDIDs last accepted 11 or more calendar months before the report's month.
// Every timestamp derives from Options::now, so the same inputs give the same bytes. Not simulated: the
// 60-minute pairing wait (an unpaired file is rejected at once), portal limits, reporting relationships.
//
// Respond() is used by one thread at a time; two runs on one store are not guarded against.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "calendar/calendar.h"
#include "spec/spec.h"

namespace caisson::sim {

struct Options {
  // The moment CAIS receives the files. Receipt, status and rejection timestamps are this instant plus fixed
  // offsets (seconds); the daily Outstanding Rejections set is the one of its New York date. REQUIRES: set.
  calendar::Instant now;
  // The simulator's store. Default (""): <feedback_dir>/cais-sim.db.
  std::filesystem::path state;
  // CAT Reporter CRDs CAIS knows, besides every catReporterCRD that has uploaded to this store: a
  // priorCATReporterCRD outside them is rejected 22054 (a registry the firm's own pre-check cannot see).
  // Empty (default): no registry check.
  std::vector<int64_t> known_reporter_crds;
  // The submitter's own CAT Submitter ID, as CAIS derives it from the SFTP user [§6.2 r7]; -1 (default): the
  // file name's is taken as the submitter's.
  int64_t cat_submitter_id = -1;
  // submitterUsername in the Data File feedback [Table 20]. Default: "caissim".
  std::string submitter_username = "caissim";
  // Write the Outstanding Rejections and Outstanding Material Inconsistencies sets of now's date. Default:
  // true.
  bool daily = true;
  // The CAT Trading Day calendar, for inconsistency deadlines and the 3rd CAT Trading Day of the month.
  // REQUIRES: set when `daily` or `refresh_report` (InvalidArgument otherwise). Not owned.
  const calendar::Calendar* calendar = nullptr;
  // Write the FDID Refresh Report of now's date even when it is not the 3rd CAT Trading Day of its month.
  // Default: false.
  bool refresh_report = false;
};

// What became of one submitted file.
struct FileOutcome {
  std::string name;           // the uploaded file's name
  std::string feedback_base;  // base of its feedback files (the file's base name)
  bool data_file = true;
  int64_t submission_id = 0;
  int last_version = 0;        // 2 after an integrity error, else 4
  std::string status;          // the final submissionStatus
  std::vector<int64_t> codes;  // every error / warning code in its rejectionItems, in file order
};

struct Response {
  std::vector<FileOutcome> files;
  std::vector<std::string> written;  // names of the files written to feedback_dir, in the order written
  int64_t accepted_fdids = 0, rejected_fdids = 0, accepted_customers = 0, rejected_customers = 0;
  int64_t outstanding_rejections = 0;  // rows of today's Outstanding Rejections data files
  int32_t daily_date = 0;              // YYYYMMDD of the Outstanding Rejections set written; 0 = none
  int64_t outstanding_inconsistencies = 0;  // rows of today's Outstanding Material Inconsistencies data files
  int64_t refresh_fdids = 0;                // rows of the FDID Refresh Report written
  int32_t refresh_date = 0;                 // YYYYMMDD of the FDID Refresh Report written; 0 = none
};

// Answers the new pairs of `upload_dir` (files named *_CAIS_* / *_TIDS_*, .json.bz2 or .json; not
// recursive) into `feedback_dir` (created if missing) and updates the store, all or nothing for the store.
// A pair whose files were all answered before with the same bytes is skipped. Fails, writing no store change,
// with NotFound for a missing upload folder, IOError when a file cannot be written, Corruption when the store
// is not a cais-sim store (one of an older schema is migrated), InvalidArgument without a calendar when one
// is needed, and the calendar's error when now's date is outside its years. Problems in the uploaded files
// are feedback, never a failure.
Result<Response> Respond(const spec::Profile& profile, const std::filesystem::path& upload_dir,
                         const std::filesystem::path& feedback_dir, const Options& options);

// "YYYYMMDDTHHMMSS.fffffffff", the CAIS Timestamp of an instant in Eastern Time [§2.4; Table 3]. IOError when
// the tz database lacks America/New_York.
Result<std::string> CaisTimestamp(calendar::Instant t);

}  // namespace caisson::sim
