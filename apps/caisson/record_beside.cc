#include "record_beside.h"

#include <utility>

namespace caisson::app {

RecordBeside::~RecordBeside() {
  const Status ignored = Cancel();
  (void)ignored;
}

void RecordBeside::Start(Body body) {
  running_ = std::async(std::launch::async, [this, body = std::move(body)] {
    return body([this](std::vector<delta::SentFile>* files) -> Status {
      const Files f = files_.get_future().get();
      if (f.written == nullptr) return Status::Internal("build", "the files were not completed");
      const std::vector<delta::SentFile> done = f.entries(*f.written);
      if (done.size() != files->size()) return Status::Internal("build", "the files are not those planned");
      for (size_t i = 0; i < done.size(); ++i) {
        state::FileEntry& e = (*files)[i].entry;
        e.compressed_bytes = done[i].entry.compressed_bytes;
        e.uncompressed_bytes = done[i].entry.uncompressed_bytes;
        e.sha256 = done[i].entry.sha256;
      }
      return Status::OK();
    });
  });
}

Status RecordBeside::Finish(const emit::Written* written, const Entries& entries) {
  if (!running_.valid()) return Status::Internal("build", "the submission was not recorded");
  files_.set_value(Files{written, entries});
  told_ = true;
  return running_.get();
}

Status RecordBeside::Cancel() {
  if (!running_.valid()) return Status::OK();
  if (!told_) {
    files_.set_value(Files{});
    told_ = true;
  }
  const Status s = running_.get();
  return s.ok() ? Status::Internal("build", "the submission was recorded without its files") : Status::OK();
}

}  // namespace caisson::app
