// `build`: the state store records a submission while emit compresses its files (delta::Record's `complete`).
#pragma once

#include <functional>
#include <future>
#include <vector>

#include "base/status.h"
#include "delta/delta.h"
#include "emit/emit.h"

namespace caisson::app {

// delta::Record on a thread of its own, beside emit's write pass: Start once the files are planned
// (emit::Options::on_planned), Finish when they are complete (the transaction commits), Cancel when they will
// not be (it rolls back).
class RecordBeside {
 public:
  // Runs delta::Record with the `complete` callback it is given.
  using Body = std::function<Status(const delta::CompleteFiles&)>;
  // The store's entries of the complete files (sizes and SHA-256 set).
  using Entries = std::function<std::vector<delta::SentFile>(const emit::Written&)>;

  RecordBeside() = default;
  RecordBeside(const RecordBeside&) = delete;
  RecordBeside& operator=(const RecordBeside&) = delete;
  ~RecordBeside();  // Cancel: only an early return gets here with a recording running

  void Start(Body body);
  // The files are complete: the recording sets their sizes and digests, commits, and its status is returned.
  Status Finish(const emit::Written* written, const Entries& entries);
  // A recording still waiting for its files is told they are not coming, and rolls back. OK when nothing was
  // running or it rolled back; an error only if it committed without its files (which Record never does).
  Status Cancel();

 private:
  struct Files {
    const emit::Written* written = nullptr;  // null: the files failed
    Entries entries;
  };
  std::promise<Files> files_;
  std::future<Status> running_;
  bool told_ = false;
};

}  // namespace caisson::app
