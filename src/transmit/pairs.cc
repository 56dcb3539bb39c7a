// The file pairs of a submission folder, by member (the Reporter CRD of their names) [§5.1.1; Table 10].
#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "transmit/transmit.h"

namespace caisson::transmit {

namespace fs = std::filesystem;

namespace {

// Parses <submitter>_<crd>_<date>_[<group>_]<KIND>_<NNNNNN>.json.bz2 [§5.1.1; Table 10]; false if not one.
bool ParseName(const std::string& name, int64_t* submitter, int64_t* crd, std::string* kind) {
  const std::string ext = ".json.bz2";
  if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0) return false;
  std::vector<std::string> parts;
  std::string base = name.substr(0, name.size() - ext.size());
  for (size_t at = 0;;) {
    size_t us = base.find('_', at);
    parts.push_back(base.substr(at, us == std::string::npos ? std::string::npos : us - at));
    if (us == std::string::npos) break;
    at = us + 1;
  }
  if (parts.size() < 5 || parts.size() > 6) return false;
  *kind = parts[parts.size() - 2];
  if (*kind != "CAIS" && *kind != "TIDS") return false;
  for (const std::string& digits : {parts[0], parts[1]}) {
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
  }
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), *submitter);
  std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), *crd);
  return true;
}

std::string BaseName(const fs::path& p) {
  std::string n = p.filename().string();
  return n.substr(0, n.size() - std::string(".json.bz2").size());
}

}  // namespace

Result<std::map<int64_t, MemberFiles>> FindPairs(const fs::path& dir, int64_t submitter) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir.string(), "no such folder");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  if (ec) return Status::IOError(dir.string(), ec.message());
  std::sort(files.begin(), files.end());
  std::map<int64_t, MemberFiles> members;
  std::map<std::string, fs::path> tids;  // base name with CAIS for TIDS -> path
  for (const fs::path& f : files) {
    int64_t sub = 0, crd = 0;
    std::string kind;
    if (!ParseName(f.filename().string(), &sub, &crd, &kind)) continue;
    MemberFiles& m = members[crd];
    m.crd = crd;
    if (sub != submitter) {
      // [§6.2 R7] the Submitter ID of the name must be the account's own.
      m.problems.push_back(fmt::format("{}: CAT Submitter ID {} is not ours ({})", f.filename().string(), sub, submitter));
      continue;
    }
    if (kind == "TIDS") tids[f.parent_path().string() + "/" + BaseName(f)] = f;
  }
  for (const fs::path& f : files) {
    int64_t sub = 0, crd = 0;
    std::string kind;
    if (!ParseName(f.filename().string(), &sub, &crd, &kind) || sub != submitter || kind != "CAIS") continue;
    std::string partner = BaseName(f);
    partner.replace(partner.rfind("_CAIS_"), 6, "_TIDS_");
    auto t = tids.find(f.parent_path().string() + "/" + partner);
    if (t == tids.end()) {
      members[crd].crd = crd;
      members[crd].problems.push_back(fmt::format("{}: its TID File {}.json.bz2 is missing", f.filename().string(), partner));
      continue;
    }
    members[crd].pairs.push_back(FilePair{f, t->second, BaseName(f), partner});
    tids.erase(t);
  }
  for (const auto& [key, f] : tids) {
    int64_t sub = 0, crd = 0;
    std::string kind;
    ParseName(f.filename().string(), &sub, &crd, &kind);
    members[crd].crd = crd;
    members[crd].problems.push_back(fmt::format("{}: its Data File is missing", f.filename().string()));
  }
  return members;
}

}  // namespace caisson::transmit
