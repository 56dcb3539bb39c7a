// caisson txn from-fix: read logs, convert, write one OrderEvents file per Event Date [§6.1.1, §6.1.2, §6.1.4].
#include <bzlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "calendar/calendar.h"
#include "fix/fix.h"

namespace caisson::fix {

namespace {

constexpr size_t kMaxLineBytes = 8190;  // [§6.1.2.1] a record line is at most 8190 bytes

// One output file: plain or bz2, under a temporary name until Close renames it.
class Writer {
 public:
  Status Open(const std::filesystem::path& final_path, bool compress) {
    final_ = final_path;
    tmp_ = final_path;
    tmp_ += ".part";
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (!file_) return Status::IOError(tmp_.string(), "cannot create");
    if (compress) {
      int err = BZ_OK;
      bz_ = BZ2_bzWriteOpen(&err, file_, 9, 0, 0);
      if (err != BZ_OK) return Status::IOError(tmp_.string(), "bzip2 open failed");
    }
    return Status::OK();
  }
  Status Write(const std::string& line) {
    if (bz_) {
      int err = BZ_OK;
      BZ2_bzWrite(&err, bz_, const_cast<char*>(line.data()), static_cast<int>(line.size()));
      if (err != BZ_OK) return Status::IOError(tmp_.string(), "bzip2 write failed");
    } else if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return Status::IOError(tmp_.string(), "write failed");
    }
    return Status::OK();
  }
  Status Close() {
    if (bz_) {
      int err = BZ_OK;
      BZ2_bzWriteClose(&err, bz_, 0, nullptr, nullptr);
      bz_ = nullptr;
      if (err != BZ_OK) return Status::IOError(tmp_.string(), "bzip2 close failed");
    }
    if (file_) {
      const bool bad = std::fflush(file_) != 0;
      std::fclose(file_);
      file_ = nullptr;
      if (bad) return Status::IOError(tmp_.string(), "write failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp_, final_, ec);
    if (ec) return Status::IOError(final_.string(), ec.message());
    return Status::OK();
  }
  void Abandon() {
    if (bz_) {
      int err = BZ_OK;
      BZ2_bzWriteClose(&err, bz_, 1, nullptr, nullptr);
      bz_ = nullptr;
    }
    if (file_) std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);
  }
  const std::filesystem::path& final_path() const { return final_; }

 private:
  std::filesystem::path final_, tmp_;
  FILE* file_ = nullptr;
  BZFILE* bz_ = nullptr;
};

std::string Today() {
  Result<calendar::LocalDateTime> now = calendar::ToNewYork(
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
  if (!now.ok()) return "19700101";
  return fmt::format("{:04}{:02}{:02}", now->date.year, now->date.month, now->date.day);
}

}  // namespace

Status FromFix(const std::vector<std::filesystem::path>& logs, const Map& map, const std::filesystem::path& out_dir,
               const Options& options, std::vector<Finding>* findings, Summary* summary) {
  const std::string file_date = options.file_date.empty() ? Today() : options.file_date;
  if (file_date.size() != 8 || file_date.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("--file-date", "must be YYYYMMDD");
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Status::IOError(out_dir.string(), ec.message());
  // [§6.1.1 Table 143] <Submitter>_<IMID>_<date>_[<Group>_]OrderEvents_<nnnnnn>; numbers continue after the
  // highest one already in the folder, since a base name is never reused [Table 144; §7.6.4 rule 7].
  const std::string prefix = fmt::format("{}_{}_{}_{}OrderEvents_", map.submitter_id, map.reporter_imid, file_date,
                                         map.group.empty() ? "" : map.group + "_");
  int next_number = 1;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 6) continue;
    const int n = std::atoi(name.substr(prefix.size(), 6).c_str());
    if (n >= next_number) next_number = n + 1;
  }
  if (ec) return Status::IOError(out_dir.string(), ec.message());

  std::map<std::string, Writer> writers;  // Event Date → file (one CAT Trading Day per file, §6.1.4 rule 11)
  Status failed;
  auto sink = [&](const Event& e) {
    if (!failed.ok()) return;
    if (e.json.size() + 1 > kMaxLineBytes) {
      Finding f;
      f.rule = "fix.line_too_long";
      f.record = RecordKind::kFile;
      f.message = fmt::format("A {} event would exceed 8190 bytes; it is not written.", e.type);
      findings->push_back(std::move(f));
      return;
    }
    auto it = writers.find(e.event_date);
    if (it == writers.end()) {
      if (next_number > 999999) {
        failed = Status::InvalidArgument(out_dir.string(), "no File Number left (000001-999999)");
        return;
      }
      const std::string name = fmt::format("{}{:06}.json{}", prefix, next_number++, options.compress ? ".bz2" : "");
      it = writers.emplace(e.event_date, Writer()).first;
      failed = it->second.Open(out_dir / name, options.compress);
      if (!failed.ok()) return;
    }
    std::string line = e.json;
    line.push_back('\n');
    failed = it->second.Write(line);
  };
  Converter converter(map, sink, findings);
  for (const std::filesystem::path& log : logs) {
    std::ifstream in(log, std::ios::binary);
    if (!in) {
      for (auto& [d, w] : writers) w.Abandon();
      return Status::NotFound(log.string(), "cannot open the FIX log");
    }
    std::string line;
    uint64_t line_no = 0;
    Message msg;
    const std::string name = log.filename().string();
    while (std::getline(in, line)) {
      ++line_no;
      ++summary->lines;
      if (ParseLine(line, name, line_no, &msg, findings)) converter.Add(msg, name, summary);
      if (!failed.ok()) break;
    }
    if (in.bad()) failed = Status::IOError(log.string(), "read failed");
    if (!failed.ok()) break;
  }
  if (failed.ok()) converter.Finish(summary);
  if (!failed.ok()) {
    for (auto& [d, w] : writers) w.Abandon();
    return failed;
  }
  for (auto& [d, w] : writers) {
    Status s = w.Close();
    if (!s.ok()) {
      for (auto& [d2, w2] : writers) w2.Abandon();
      return s;
    }
    summary->files.push_back(w.final_path());
  }
  return Status::OK();
}

}  // namespace caisson::fix
