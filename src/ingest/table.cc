#include "ingest/table.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <system_error>
#include <vector>

#include "base/pages.h"
#include "ingest/ingest.h"

namespace caisson::ingest {

namespace {

Status ReadWholeFile(const std::filesystem::path& path, std::string* out) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::IOError(path.string(), "cannot open");
  // Sized once: growing by doubling held up to twice the file (old and new buffer) at the load's peak.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) out->reserve(static_cast<size_t>(size) + 1);
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) out->append(buf, got);
  if (std::ferror(f.get())) return Status::IOError(path.string(), "read failed");
  return Status::OK();
}

// A books file mapped read-only. The reader tells it how far it is done, and those pages leave the process:
// the text of the largest file was alive next to the whole model at the load's peak.
class MappedText {
 public:
  MappedText() = default;
  MappedText(const MappedText&) = delete;
  MappedText& operator=(const MappedText&) = delete;
  ~MappedText() {
    if (base_ != nullptr) munmap(base_, size_);
  }

  // False when the file cannot be mapped (the caller then reads it whole).
  bool Map(const std::filesystem::path& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = fstat(fd, &st) == 0 && st.st_size > 0;
    if (ok) {
      size_ = static_cast<size_t>(st.st_size);
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      ok = p != MAP_FAILED;
      if (ok) {
        base_ = p;
        released_ = PageReleaser(base_);
        madvise(base_, size_, MADV_SEQUENTIAL);
      }
    }
    close(fd);
    return ok;
  }
  std::string_view text() const { return {static_cast<const char*>(base_), size_}; }
  // The bytes before `done` will not be read again (reading them anyway would fault them back in from the file).
  void Release(size_t done) { released_.Behind(done); }

 private:
  void* base_ = nullptr;
  size_t size_ = 0;
  PageReleaser released_;
};

}  // namespace

Finding InputFinding(std::string_view rule, RecordKind record, std::string_view key, std::string_view file,
                     uint64_t line, std::string_view field, std::string message) {
  Finding f;
  f.rule = std::string(rule);
  f.severity = rule == "input.column" ? Severity::kWarning : Severity::kPolicy;
  f.record = record;
  f.key = std::string(key);
  f.file = std::string(file);
  f.line = line;
  f.field = std::string(field);
  f.message = std::move(message);
  return f;
}

size_t CountLines(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return 0;
  std::vector<char> buf(size_t{1} << 20);
  size_t lines = 0;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    lines += static_cast<size_t>(std::count(buf.data(), buf.data() + n, '\n'));
  }
  std::fclose(f);
  return lines;
}

Status ReadTable(const std::filesystem::path& dir, std::string_view file, bool required,
                 std::span<const Column> columns, std::vector<Finding>* findings, bool* present,
                 const Excerpt* excerpt, const std::function<void(const Row&)>& on_row) {
  const std::filesystem::path path = dir / file;
  std::error_code ec;
  *present = std::filesystem::is_regular_file(path, ec);
  if (!*present) {
    if (std::filesystem::exists(path, ec)) return Status::IOError(path.string(), "not a regular file");
    return required ? Status::NotFound(path.string(), "required books file is missing") : Status::OK();
  }
  MappedText mapped;
  std::string whole;  // an empty file, or one that cannot be mapped
  std::string_view text;
  std::function<void(size_t)> release;
  PageReleaser excerpt_released;
  if (excerpt != nullptr) {
    text = excerpt->text;
    if (excerpt->mapped && !text.empty()) {
      excerpt_released = PageReleaser(text.data());
      release = [&excerpt_released](size_t done) { excerpt_released.Behind(done); };
    }
  } else if (mapped.Map(path)) {
    text = mapped.text();
    release = [&mapped](size_t done) { mapped.Release(done); };
  } else {
    CAISSON_RETURN_IF_ERROR(ReadWholeFile(path, &whole));
    text = whole;
  }

  std::vector<int> index(columns.size(), -1);
  size_t header_size = 0;
  bool header_seen = false;
  Status status;
  const std::string where = path.string();
  auto on_record = [&](const std::vector<std::string_view>& fields, uint64_t line) {
    if (!header_seen) {
      header_seen = true;
      header_size = fields.size();
      for (size_t i = 0; i < fields.size(); ++i) {
        size_t c = 0;
        while (c < columns.size() && columns[c].name != fields[i]) ++c;
        if (c == columns.size()) {
          findings->push_back(InputFinding("input.column", RecordKind::kFile, "", file, line, fields[i],
                                           "not a books-and-records column; ignored"));
          continue;
        }
        if (index[c] >= 0) {
          status = Status::InvalidArgument(fmt::format("{}:{}", path.string(), line),
                                           fmt::format("column '{}' appears twice", columns[c].name));
          return false;
        }
        index[c] = static_cast<int>(i);
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].required && index[c] < 0) {
          status = Status::InvalidArgument(fmt::format("{}:{}", path.string(), line),
                                           fmt::format("required column '{}' is missing", columns[c].name));
          return false;
        }
      }
      return true;
    }
    for (size_t i = header_size; i < fields.size(); ++i) {
      if (!fields[i].empty()) {
        findings->push_back(InputFinding("input.column", RecordKind::kFile, "", file, line,
                                         fmt::format("column {}", i + 1),
                                         "cell beyond the header's last column; ignored"));
      }
    }
    on_row(Row(fields, index, line));
    return true;
  };
  Status read = excerpt != nullptr ? ReadCsvRows(text, where, excerpt->rows, on_record, release, excerpt->utf8_checked)
                                   : ReadCsvReleasing(text, where, on_record, release);
  CAISSON_RETURN_IF_ERROR(read);
  CAISSON_RETURN_IF_ERROR(status);
  if (!header_seen) {
    for (const Column& c : columns) {
      if (c.required) {
        return Status::InvalidArgument(path.string(),
                                       fmt::format("no header row: required column '{}' is missing", c.name));
      }
    }
  }
  return Status::OK();
}

}  // namespace caisson::ingest
