// CAIS's per-file feedback for the CLI tests (synthetic): the Data Files a build wrote and the feedback JSON
// CAIS would put beside them [§6.1–§6.3], as `caisson feedback ingest` reads it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace caisson::testing {

// The base names of the Data Files in `out`, sorted (file numbers grow: the newest of a day sorts last).
inline std::vector<std::string> DataFiles(const std::filesystem::path& out) {
  std::vector<std::string> bases;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.find("_CAIS_") != std::string::npos && name.ends_with(".json.bz2")) {
      bases.push_back(name.substr(0, name.size() - 9));
    }
  }
  std::sort(bases.begin(), bases.end());
  return bases;
}

// Version `version` of the feedback on Data File `base` in folder `dir`, with `items` (rejection items, JSON)
// in rejectionItems.
inline void WriteFeedback(const std::filesystem::path& dir, const std::string& base, int version,
                          const std::string& status, const std::string& items, int64_t crd = 990001) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (base + ".v" + std::to_string(version) + ".feedback.json"))
      << R"({"version": "2.0.0", "submissionID": 41, "submitterUsername": "testusr", "catSubmitterID": 990002, )"
      << R"("catReporterCRD": )" << crd << R"(, "submissionStatus": ")" << status
      << R"(", "receiptTimestamp": "20261117T091500.000000000", "completedTimestamp": "20261117T101500.000000000", )"
      << R"("statusHistory": {"FILE_ACKNOWLEDGED": "20261117T091500.000000000",}, "rejectionItems": [)" << items
      << "]}";
}

// The final feedback on `base` (v1 acknowledged, v4 completed with `items` rejected) in `dir`.
inline void WriteRejections(const std::filesystem::path& dir, const std::string& base, const std::string& items) {
  WriteFeedback(dir, base, 1, "FILE_ACKNOWLEDGED", "");
  WriteFeedback(dir, base, 4, "COMPLETED_WITH_REJECTIONS", items);
}

}  // namespace caisson::testing
