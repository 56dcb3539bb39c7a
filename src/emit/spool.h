// emit/spool: a submission written from records handed over batch by batch, for a build that never holds the
// whole books (issue #6: memory grows with the keys, not with the bytes).
//
// Each batch's records not held back are serialised once, their per-file numbers left as 0, into a spill file
// in the output folder that has no name (O_TMPFILE, or unlinked as soon as it is made: a killed run leaves
// nothing behind, or at worst a `….tmp-<pid>` file the next run removes); only their sizes,
// links, correspondentCRD and order stay in memory (~32 bytes an FDID and a customer). Write then plans the pairs
// from those sizes and streams the spilled bytes, numbered, into the compressors. The files are byte for byte
// those WriteSubmission writes for the same records in the books' order: same units (an FDID with its
// customers, a REPLACED FDID with its replacing FDID), groups, split points and numbering.
//
// The spill needs free disk in the output folder about the size of the uncompressed output.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "emit/emit.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::emit {

class Spool {
 public:
  // Makes the spill file in `dir` (created when missing).
  static Result<std::unique_ptr<Spool>> Open(const spec::Profile& profile, const std::filesystem::path& dir);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  struct Batch {
    const model::Books* books = nullptr;
    // emit's holds: every record not sent today counts as held back (delta::Plan::emit_holds).
    const validate::Holds* holds = nullptr;
    // Per FDID / customer of the batch: a key whose order is the books' order (unique over every batch).
    const std::vector<uint64_t>* fdid_order = nullptr;
    const std::vector<uint64_t>* customer_order = nullptr;
    // Side bytes kept with each record written (null: none), read back with FdidExtra / CustomerExtra.
    std::function<void(size_t fdid, std::string* out)> fdid_extra;
    std::function<void(size_t customer, std::string* out)> customer_extra;
  };
  // Room for about this many records (the books' counts): the lists are then never copied to grow, which at
  // 10^7 FDIDs would hold ~1 GB twice. Optional; call before the first Add.
  void Reserve(size_t fdids, size_t customers);

  // Adds the records of one batch that are not held back; a customer is added when an FDID added names it.
  // Several threads may add at once. Internal when a record names a customer the batch lacks or has no TID.
  Status Add(const Batch& batch);

  // Spool ids, in the order records were added: Written's fdid_indices and customer_indices name them.
  size_t fdids() const { return fdids_.size(); }
  size_t customers() const { return customers_.size(); }
  uint64_t FdidOrder(int32_t id) const { return fdids_[static_cast<size_t>(id)].order; }
  uint64_t CustomerOrder(int32_t id) const { return customers_[static_cast<size_t>(id)].order; }

  // After the last Add: the spill is mapped for reading; the extras below may then be read from any thread.
  Status Seal();
  std::string_view FdidExtra(int32_t id) const;
  std::string_view CustomerExtra(int32_t id) const;

  // Plans and writes the pairs as WriteSubmission would (Options as there; a Correction names spool ids, and
  // an FDID's correction its key in Correction::correcting_fdid). Seals the spool first.
  Result<Written> Write(const Options& options, const BeforeCommit& before_commit = nullptr);

 private:
  struct SpooledFdid {
    uint64_t at = 0;      // text (after `{"fdidRecordID":0`), then the extra bytes
    uint64_t order = 0;
    uint32_t bytes = 0, extra = 0;
    uint32_t first_ref = 0, refs = 0;  // its customers' spool ids in refs_, association order
  };
  struct SpooledCustomer {
    uint64_t at = 0;  // customer text, TID text (each after `{"customerRecordID":0`), then the extra bytes
    uint64_t order = 0;
    uint32_t customer_bytes = 0, tid_bytes = 0, extra = 0;
    bool legal_entity = false;
  };
  struct Unit {
    uint64_t order = 0;  // its first FDID's
    int64_t crd = -1;    // -1: none
    uint32_t first = 0, count = 0;  // spool FDID ids first .. first + count - 1
  };
  class Planner;

  Spool(const spec::Profile& profile, int fd);
  // Gives the spill's mapped pages back every so often (they stay in the page cache).
  void Release(uint64_t bytes) const;
  std::string_view Text(uint64_t at, uint64_t n) const;

  const spec::Profile& profile_;
  int fd_ = -1;
  uint64_t end_ = 0;  // bytes written
  const char* map_ = nullptr;
  uint64_t mapped_ = 0;
  mutable std::atomic<uint64_t> read_since_release_{0};
  std::vector<SpooledFdid> fdids_;
  std::vector<SpooledCustomer> customers_;
  std::vector<Unit> units_;
  std::vector<uint32_t> refs_;
  struct Lock;
  std::unique_ptr<Lock> lock_;
};

}  // namespace caisson::emit
